import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../src/ingest/bar.ts';
import { detectFormat } from '../../src/ingest/detectFormat.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { writeTmp } from '../support/files.ts';

async function rows(file: string, opts = {}): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const b of openSource(file, opts).rows) out.push(...b);
  return out;
}

const OANDA = {
  instrument: 'USD_JPY',
  granularity: 'M1',
  candles: [
    {
      complete: true,
      volume: 57,
      time: '2024-07-01T00:00:00.000000000Z',
      bid: { o: '161.001', h: '161.020', l: '160.990', c: '161.010' },
      mid: { o: '161.0065', h: '161.0255', l: '160.9955', c: '161.0155' },
      ask: { o: '161.012', h: '161.031', l: '161.001', c: '161.021' },
    },
    { complete: true, volume: 12, time: '1719792060.000000000', mid: { o: '161.0155', h: '161.0200', l: '161.0100', c: '161.0150' } },
    { complete: false, volume: 3, time: '2024-07-01T00:02:00.000000000Z', mid: { o: '161.015', h: '161.016', l: '161.014', c: '161.015' } },
  ],
};

describe('format detection', () => {
  it('tells each format from its first bytes', () => {
    expect(detectFormat(writeTmp('a.json', JSON.stringify(OANDA)))).toBe('oanda');
    expect(detectFormat(writeTmp('DAT_ASCII_EURUSD_M1_2024.csv', '20240701 000000;1.070500;1.070600;1.070400;1.070550;0\n'))).toBe(
      'histdata',
    );
    expect(detectFormat(writeTmp('d.csv', 'Gmt time,Open,High,Low,Close,Volume\n01.07.2024 00:00:00.000,1.07,1.08,1.06,1.07,10\n'))).toBe(
      'dukascopy',
    );
    expect(detectFormat(writeTmp('g.csv', 'pair,ts_utc,open,high,low,close\n'))).toBe('generic');
  });

  it('refuses an empty file and an unknown layout with a hint', () => {
    expect(() => detectFormat(writeTmp('empty.csv', ''))).toThrow(/empty/);
    expect(() => detectFormat(writeTmp('weird.txt', 'hello world\n'))).toThrow(/cannot tell the format/);
  });
});

describe('OANDA v20 candles', () => {
  it('reads mid/bid/ask, RFC 3339 and UNIX times, and skips incomplete candles', async () => {
    const src = openSource(writeTmp('oanda.json', JSON.stringify(OANDA)));
    const got: SourceRow[] = [];
    for await (const b of src.rows) got.push(...b);
    expect(got).toHaveLength(2);
    expect(src.stats.incomplete).toBe(1);
    expect(got[0].bar).toEqual({
      pair: 'usdjpy',
      ts: Date.UTC(2024, 6, 1, 0, 0),
      open: 161.0065,
      high: 161.0255,
      low: 160.9955,
      close: 161.0155,
      bid: { open: 161.001, high: 161.02, low: 160.99, close: 161.01 },
      ask: { open: 161.012, high: 161.031, low: 161.001, close: 161.021 },
      volume: 57,
    });
    expect(got[1].bar!.ts).toBe(Date.UTC(2024, 6, 1, 0, 1));
    expect(got[1].bar!.bid).toBeNull();
  });

  it('names a truncated document as such', async () => {
    const text = JSON.stringify(OANDA);
    await expect(rows(writeTmp('trunc.json', text.slice(0, text.length / 2)))).rejects.toThrow(/not a complete JSON document/);
  });
});

describe('HistData M1 ASCII', () => {
  it('shifts fixed EST (UTC-5, no DST) to UTC, in winter and in summer alike', async () => {
    const f = writeTmp(
      'DAT_ASCII_EURUSD_M1_2024.csv',
      '20240105 170000;1.094500;1.094600;1.094400;1.094550;0\n20240701 000000;1.070500;1.070600;1.070400;1.070550;0\n',
    );
    const got = await rows(f);
    expect(got.map((r) => new Date(r.bar!.ts).toISOString())).toEqual(['2024-01-05T22:00:00.000Z', '2024-07-01T05:00:00.000Z']);
    expect(got[1].bar).toMatchObject({
      pair: 'eurusd',
      open: 1.0705,
      high: 1.0706,
      low: 1.0704,
      close: 1.07055,
      bid: null,
      ask: null,
      volume: 0,
    });
  });

  it('reports a malformed line by number and keeps going', async () => {
    const got = await rows(
      writeTmp(
        'DAT_ASCII_GBPUSD_M1_2024.csv',
        '20240701 000000;1.2;1.3;1.1;1.2;0\n20240701 0001;1.2;1.3\n20240701 000200;1.2;1.3;1.1;1.2;0\n',
      ),
    );
    expect(got.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(got[1].error).toMatch(/expected 6/);
  });
});

describe('Dukascopy CSV', () => {
  it('reads GMT and offset timestamps', async () => {
    const f = writeTmp(
      'EURUSD_Candlestick_1_M_BID_01.07.2024-02.07.2024.csv',
      'Local time,Open,High,Low,Close,Volume\n01.07.2024 02:00:00.000 GMT+0200,1.07123,1.07130,1.07100,1.07111,1234.56\n',
    );
    const got = await rows(f);
    expect(got[0].bar).toMatchObject({ pair: 'eurusd', ts: Date.UTC(2024, 6, 1, 0, 0), open: 1.07123, close: 1.07111, volume: 1234.56 });
  });
});

describe('generic CSV', () => {
  it('maps aliases, reads zone-less timestamps as UTC and keeps empty bid/ask as NULL', async () => {
    const f = writeTmp(
      'g2.csv',
      'symbol,time,open,high,low,close,bid_open,bid_high,bid_low,bid_close,ask_open,ask_high,ask_low,ask_close,tick_volume\nEUR_USD,2024-07-01 00:00:00,1.1,1.2,1.0,1.15,,,,,,,,,7\n',
    );
    const got = await rows(f);
    const { copyText, ...bar } = got[0].bar!;
    expect(bar).toEqual({
      pair: 'eurusd',
      ts: Date.UTC(2024, 6, 1),
      open: 1.1,
      high: 1.2,
      low: 1.0,
      close: 1.15,
      bid: null,
      ask: null,
      volume: 7,
    });
    // What reaches COPY (built on demand): the source's own decimals, the timestamp in UTC, absent sides as \N.
    expect(copyText?.()).toBe('eurusd\t2024-07-01T00:00:00.000Z\t1.1\t1.2\t1.0\t1.15\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t7');
  });

  it('parses NaN and infinities as such (validation names them) and junk as NaN', async () => {
    const f = writeTmp('g3.csv', 'pair,ts_utc,open,high,low,close\neurusd,2024-07-01T00:00:00Z,NaN,inf,-Infinity,0x10\n');
    const b = (await rows(f))[0].bar!;
    expect(Number.isNaN(b.open)).toBe(true);
    expect(b.high).toBe(Infinity);
    expect(b.low).toBe(-Infinity);
    expect(Number.isNaN(b.close)).toBe(true);
  });

  it('refuses a header without the required columns', async () => {
    await expect(rows(writeTmp('g4.csv', 'pair,when,open,high,low,close\n'), { format: 'generic' })).rejects.toThrow(/header lacks ts_utc/);
  });
});

describe('decimal parsing', () => {
  it('gives exactly the double Number() gives, on prices and on edge forms', async () => {
    const { parseDecimal } = await import('../../src/ingest/parseUtc.ts');
    const samples = [
      '0',
      '1',
      '-1',
      '1.',
      '.5',
      '0.00001',
      '1.08512',
      '161.017',
      '99999.99999',
      '123456789012345',
      '0.1',
      '0.3',
      '1.0000000000001',
      '-0.000001',
      '007.50',
      '1.7976931348623157',
      '4503599627370497',
    ];
    let x = 12345;
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      samples.push((x / 10 ** (x % 9)).toFixed(x % 8), ((x % 200000) / 1000).toFixed(3), String(x / 7));
    }
    const mismatches = samples.filter((s) => !Object.is(parseDecimal(s), Number(s)));
    expect(mismatches).toEqual([]);
    for (const bad of ['', '-', '.', '1.2.3', '1,5', '0x10', '1e', ' ', 'abc']) expect(parseDecimal(bad)).toBeNaN();
    expect(parseDecimal('1e-3')).toBe(0.001);
    expect(parseDecimal(' 2.5 ')).toBe(2.5);
  });
});

describe('strict timestamps (issue 14)', () => {
  it('parses ISO 8601 in every accepted spelling and refuses fields that would roll over', async () => {
    const { parseUtcTimestamp } = await import('../../src/ingest/parseUtc.ts');
    expect(parseUtcTimestamp('2024-07-01T10:00:00.000Z')).toBe(Date.UTC(2024, 6, 1, 10));
    expect(parseUtcTimestamp('2024-07-01 10:00')).toBe(Date.UTC(2024, 6, 1, 10));
    expect(parseUtcTimestamp(' 2024-07-01T12:00:00+0200 ')).toBe(Date.UTC(2024, 6, 1, 10));
    expect(parseUtcTimestamp('2024-07-01T05:00:00.123456789-05:00')).toBe(Date.UTC(2024, 6, 1, 10, 0, 0, 123));
    expect(parseUtcTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseUtcTimestamp('0001-01-01T00:00:00Z')).toBe(Date.parse('0001-01-01T00:00:00Z'));
    for (const bad of [
      '2024-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-04-31T00:00:00Z',
      '2024-07-01T24:00:00Z',
      '2024-07-01T10:60:00Z',
      '2024-07-01T10:00:60Z',
      '2024-00-01T00:00:00Z',
      '2024-07-00T00:00:00Z',
      '2024-07-01T10:00:00+15:00',
      '2024-07-01T10:00:00+02:60',
      '2024-07-01',
    ]) {
      expect(parseUtcTimestamp(bad), bad).toBeNaN();
    }
  });

  it('refuses rolled-over HistData and Dukascopy times, and a Local time without its offset', async () => {
    const h = await rows(
      writeTmp(
        'DAT_ASCII_EURUSD_M1_bad.csv',
        '20240230 000000;1.07;1.08;1.06;1.07;0\n20240701 240000;1.07;1.08;1.06;1.07;0\n20240701 235900;1.07;1.08;1.06;1.07;0\n',
      ),
    );
    expect(h.map((r) => r.error ?? 'ok')).toEqual([
      expect.stringMatching(/not a calendar instant/),
      expect.stringMatching(/not a calendar instant/),
      'ok',
    ]);
    const d = await rows(
      writeTmp(
        'eurusd-d.csv',
        'Gmt time,Open,High,Low,Close,Volume\n31.06.2024 00:00:00.000,1.07,1.08,1.06,1.07,1\n01.07.2024 00:00:00.000 GMT+0300,1.07,1.08,1.06,1.07,1\n',
      ),
    );
    expect(d[0].error).toMatch(/not a calendar instant/);
    expect(d[1].bar!.ts).toBe(Date.UTC(2024, 5, 30, 21));
    await expect(
      rows(writeTmp('eurusd-l.csv', 'Local time,Open,High,Low,Close,Volume\n01.07.2024 00:00:00.000,1.07,1.08,1.06,1.07,1\n')),
    ).rejects.toThrow(/carries no GMT offset/);
  });

  it('refuses a generic header naming a field twice, through aliases too', async () => {
    await expect(rows(writeTmp('dup1.csv', 'pair,timestamp,datetime,open,high,low,close\n'))).rejects.toThrow(/names ts_utc twice/);
    await expect(rows(writeTmp('dup2.csv', 'pair,ts_utc,open,high,low,close,vol,volume\n'))).rejects.toThrow(
      /names volume twice \(column 7 "vol" and column 8 "volume"\)/,
    );
  });

  it('flags a last line without its final newline in every text format', async () => {
    const g = await rows(
      writeTmp(
        'cut.csv',
        'pair,ts_utc,open,high,low,close,volume\neurusd,2024-07-01T00:00:00Z,1.07,1.08,1.06,1.07,12\neurusd,2024-07-01T00:01:00Z,1.07,1.08,1.06,1.07,1',
      ),
    );
    expect(g.map((r) => r.error ?? 'ok')).toEqual(['ok', expect.stringMatching(/no final newline/)]);
    const h = await rows(writeTmp('DAT_ASCII_EURUSD_M1_cut.csv', '20240701 000000;1.07;1.08;1.06;1.07;0'));
    expect(h[0].error).toMatch(/no final newline/);
  });
});
