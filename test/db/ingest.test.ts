import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BqxError } from '../../src/db/errors.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath, writeTmp } from '../support/files.ts';
import { storeFingerprint } from '../support/fingerprint.ts';

const FROM = Date.UTC(2024, 5, 28); // Friday before the base instant 2024-07-01
const TO = Date.UTC(2024, 6, 3);
let file: string;
let lines: string[];

beforeAll(async () => {
  file = tmpPath('base.csv');
  await synthToFile(file, { seed: 11, from: FROM, to: TO, pairs: ['eurusd', 'usdjpy'] });
  lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
});

const ingest = async (pool: import('pg').Pool, f: string, opts: { rejectFile?: string; format?: string; pair?: string } = {}) =>
  ingestSource(pool, openSource(f, { format: opts.format, pair: opts.pair }), { rejectFile: opts.rejectFile });
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as BqxError;
  }
  throw new Error('expected the ingest to fail');
};

/** A copy of the fixture with line `at` (1-based, header = 1) replaced. */
function withLine(name: string, at: number, make: (fields: string[]) => string): string {
  const copy = [...lines];
  copy[at - 1] = make(copy[at - 1].split(','));
  return writeTmp(name, copy.join('\n') + '\n');
}
const set = (f: string[], patch: Record<number, string>) => f.map((v, i) => patch[i] ?? v).join(',');
// Generic layout: 0 pair, 1 ts_utc, 2-5 mid OHLC, 6-9 bid OHLC, 10-13 ask OHLC, 14 volume

describe('ingest', () => {
  const t = useTestDatabase();

  it('loads every bar exactly, with the rate indices against the baseline of spec section 2', async () => {
    const r = await ingest(t.pool, file);
    expect(r.format).toBe('generic');
    expect(r.rowsRead).toBe(lines.length - 1);
    expect(r.inserted).toBe(lines.length - 1);
    expect(r.rejected).toBe(0);
    expect(r.baselinesEstablished).toEqual(['eurusd', 'usdjpy']);

    const expected = lines
      .slice(1)
      .map((l) => l.split(','))
      .filter((f) => f[0] === 'usdjpy');
    const base = expected.find((f) => Date.parse(f[1]) >= Date.UTC(2024, 6, 1))!;
    const B = Number(base[5]);
    const b = (await t.pool.query(`select base_close, base_ts from bqx.baselines where pair = 'usdjpy'`)).rows[0];
    expect(b.base_close).toBe(B);
    expect(b.base_ts.toISOString()).toBe(base[1]);

    const { rows } = await t.pool.query(`select * from bqx.m1 where pair = 'usdjpy' order by ts_utc`);
    expect(rows).toHaveLength(expected.length);
    let worst = 0;
    rows.forEach((row, i) => {
      const f = expected[i];
      expect(row.ts_utc.toISOString()).toBe(f[1]);
      expect([row.open, row.high, row.low, row.close, row.bid_close, row.ask_close, row.volume]).toEqual([
        +f[2],
        +f[3],
        +f[4],
        +f[5],
        +f[9],
        +f[13],
        +f[14],
      ]);
      for (const [idx, price] of [
        [row.rate_index, +f[5]],
        [row.open_index, +f[2]],
        [row.high_index, +f[3]],
        [row.low_index, +f[4]],
      ]) {
        worst = Math.max(worst, Math.abs(idx - (100 * price) / B) / 100);
      }
    });
    expect(worst).toBeLessThanOrEqual(1e-15);
    // Bars before the base instant carry indices too (B is configuration, not data).
    expect(rows[0].ts_utc.getTime()).toBeLessThan(Date.UTC(2024, 6, 1));
    expect(rows[0].rate_index).not.toBeNull();
  });

  it('re-ingesting the same file changes nothing', async () => {
    const before = await storeFingerprint(t.pool);
    const r = await ingest(t.pool, file);
    expect(r).toMatchObject({ inserted: 0, unchanged: lines.length - 1, rejected: 0, partitionsCreated: 0 });
    expect(await storeFingerprint(t.pool)).toEqual(before);
  });

  describe('bad input fails with a clear error and leaves the database as it was', () => {
    const mid = 1500;
    const cases: Array<[string, () => string, string, RegExp]> = [
      [
        'unknown pair',
        () => withLine('unknown-pair.csv', mid, (f) => set(f, { 0: 'usdeur' })),
        'BQX_INGEST_INVALID',
        /unknown pair "usdeur"/,
      ],
      [
        'a pair name that is SQL',
        () => withLine('sql-pair.csv', mid, (f) => set(f, { 0: "eurusd'); drop table bqx.m1; --" })),
        'BQX_INGEST_INVALID',
        /unknown pair/,
      ],
      [
        'a malformed line in the middle',
        () => withLine('malformed.csv', mid, (f) => f.slice(0, 7).join(',')),
        'BQX_INGEST_INVALID',
        /expected 15 fields, found 7/,
      ],
      ['a NaN price', () => withLine('nan.csv', mid, (f) => set(f, { 5: 'NaN' })), 'BQX_INGEST_INVALID', /close is NaN/],
      [
        'a negative price',
        () => withLine('negative.csv', mid, (f) => set(f, { 4: '-' + f[4] })),
        'BQX_INGEST_INVALID',
        /low is -.*prices must be positive/,
      ],
      [
        'a zero price',
        () => withLine('zero.csv', mid, (f) => set(f, { 2: '0' })),
        'BQX_INGEST_INVALID',
        /open is 0; prices must be positive/,
      ],
      ['high < low', () => withLine('high-low.csv', mid, (f) => set(f, { 3: f[4], 4: f[3] })), 'BQX_INGEST_INVALID', /high .* < low/],
      [
        'bid > ask',
        () =>
          withLine('bid-ask.csv', mid, (f) =>
            set(f, { 6: String(+f[10] + 0.001), 7: String(+f[11] + 0.001), 8: String(+f[12] + 0.001), 9: String(+f[13] + 0.001) }),
          ),
        'BQX_INGEST_INVALID',
        /bid_open .* > ask_open/,
      ],
      [
        'a timestamp 50 years ahead',
        () => withLine('future.csv', mid, (f) => set(f, { 1: '2076-07-01T00:00:00.000Z' })),
        'BQX_INGEST_INVALID',
        /2076-07-01T00:00:00.000Z is beyond the allowed future/,
      ],
      [
        'a duplicated bar with different prices',
        () =>
          withLine('dup.csv', mid, (_f) => {
            const prev = lines[mid - 2].split(',');
            return set(prev, { 5: String(+prev[5] + 0.0001), 3: String(+prev[3] + 0.001) });
          }),
        'BQX_INGEST_CONFLICT',
        /duplicate bar for .* with other values than line 1499/,
      ],
      ['an empty file', () => writeTmp('empty.csv', ''), 'BQX_INGEST_EMPTY', /is empty/],
      ['a file with only a header', () => writeTmp('header-only.csv', lines[0] + '\n'), 'BQX_INGEST_EMPTY', /holds no bars/],
      [
        'a truncated JSON document',
        () =>
          writeTmp(
            'truncated.json',
            '{"instrument":"EUR_USD","granularity":"M1","candles":[{"complete":true,"volume":5,"time":"2024-07-01T00:00:00.000000000Z","mid":{"o":"1.07',
          ),
        'BQX_INGEST_FORMAT',
        /not a complete JSON document/,
      ],
    ];
    for (const [what, make, code, message] of cases) {
      it(what, async () => {
        const f = make();
        // A fresh month for the bad file, so a leaked partition would show in the fingerprint too.
        const before = await storeFingerprint(t.pool);
        const e = await failure(ingest(t.pool, f));
        expect(e).toBeInstanceOf(BqxError);
        expect(e.code).toBe(code);
        expect(e.message).toMatch(message);
        if (code === 'BQX_INGEST_INVALID' || code === 'BQX_INGEST_CONFLICT') {
          expect(e.message).toContain(`${f}:${mid}:`);
          expect(e.message).toContain('nothing was loaded');
          expect(e.hint).toMatch(/--reject-file/);
        }
        expect(await storeFingerprint(t.pool)).toEqual(before);
      });
    }

    it('a bar that differs from the stored one is reported, not overwritten', async () => {
      const before = await storeFingerprint(t.pool);
      const f = withLine('stored-conflict.csv', 20, (x) => set(x, { 5: String(+x[5] + 0.00002), 3: String(+x[3] + 0.001) }));
      const e = await failure(ingest(t.pool, f));
      expect(e.code).toBe('BQX_INGEST_CONFLICT');
      expect(e.message).toMatch(new RegExp(`${f}:20: conflicts with the stored bar`));
      expect(await storeFingerprint(t.pool)).toEqual(before);
    });
  });

  it('with --reject-file, writes the bad rows with line and reason and loads the rest', async () => {
    const copy = [...lines];
    // A new day after the fixture, so every good row is new.
    const next = (l: string) => {
      const f = l.split(',');
      f[1] = new Date(Date.parse(f[1]) + 5 * 86_400_000).toISOString();
      return f;
    };
    const moved = copy.slice(1, 301).map(next);
    moved[9][5] = 'NaN';
    moved[99][0] = 'xxxyyy';
    const f = writeTmp('mixed.csv', [lines[0], ...moved.map((m) => m.join(','))].join('\n') + '\n');
    const rejectFile = tmpPath('mixed.rejects.csv');
    const r = await ingest(t.pool, f, { rejectFile });
    expect(r).toMatchObject({ rowsRead: 300, inserted: 298, rejected: 2, rejectFile });
    const rejects = fs.readFileSync(rejectFile, 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('line,reason,raw');
    expect(rejects[1]).toMatch(/^11,close is NaN,/);
    expect(rejects[2]).toMatch(/^101,"?unknown pair ""?xxxyyy/);
  });

  it('stores an identical repeat within a file once, however its decimals are written', async () => {
    const f = writeTmp(
      'repeat.csv',
      [
        'pair,ts_utc,open,high,low,close,volume',
        'EURCHF,2024-07-09T10:00:00Z,0.97050,0.97060,0.97040,0.97055,12',
        'eurchf,2024-07-09T10:01:00Z,0.9705,0.9706,0.9704,0.97055,3',
        'eur_chf,2024-07-09 10:00:00,0.9705,0.9706,0.9704,0.97055,12.0',
      ].join('\n') + '\n',
    );
    const r = await ingest(t.pool, f);
    expect(r).toMatchObject({ rowsRead: 3, inserted: 2, unchanged: 1, rejected: 0 });
    const { rows } = await t.pool.query(`select ts_utc, open, volume from bqx.m1 where pair = 'eurchf' order by ts_utc`);
    expect(rows.map((x) => [x.ts_utc.toISOString(), x.open, x.volume])).toEqual([
      ['2024-07-09T10:00:00.000Z', 0.9705, 12],
      ['2024-07-09T10:01:00.000Z', 0.9705, 3],
    ]);
  });

  it('loads OANDA candles with bid and ask, skipping the incomplete one', async () => {
    const doc = {
      instrument: 'GBP_USD',
      granularity: 'M1',
      candles: [0, 1, 2].map((i) => ({
        complete: i < 2,
        volume: 10 + i,
        time: new Date(Date.UTC(2024, 6, 2, 10, i)).toISOString().replace('Z', '000000Z'),
        bid: { o: '1.26500', h: '1.26520', l: '1.26490', c: '1.26510' },
        mid: { o: '1.26507', h: '1.26527', l: '1.26497', c: '1.26517' },
        ask: { o: '1.26514', h: '1.26534', l: '1.26504', c: '1.26524' },
      })),
    };
    const r = await ingest(t.pool, writeTmp('gbpusd.json', JSON.stringify(doc)));
    expect(r).toMatchObject({ format: 'oanda', inserted: 2, incomplete: 1 });
    const { rows } = await t.pool.query(
      `select ts_utc, close, bid_close, ask_close, volume, rate_index from bqx.m1 where pair = 'gbpusd' order by ts_utc`,
    );
    expect(rows.map((x) => [x.ts_utc.toISOString(), x.close, x.bid_close, x.ask_close, x.volume])).toEqual([
      ['2024-07-02T10:00:00.000Z', 1.26517, 1.2651, 1.26524, 10],
      ['2024-07-02T10:01:00.000Z', 1.26517, 1.2651, 1.26524, 11],
    ]);
    expect(rows[0].rate_index).toBe(100);
  });

  it('establishes a baseline late and back-fills the indices of bars stored before it', async () => {
    const june = writeTmp(
      'DAT_ASCII_AUDUSD_M1_202406.csv',
      '20240628 100000;0.66500;0.66510;0.66490;0.66505;0\n20240628 100100;0.66505;0.66520;0.66500;0.66510;0\n',
    );
    const r1 = await ingest(t.pool, june);
    expect(r1).toMatchObject({ format: 'histdata', inserted: 2, baselinesEstablished: [] });
    const pending = await t.pool.query(`select ts_utc, rate_index from bqx.m1 where pair = 'audusd' order by ts_utc`);
    expect(pending.rows.map((x) => [x.ts_utc.toISOString(), x.rate_index])).toEqual([
      ['2024-06-28T15:00:00.000Z', null],
      ['2024-06-28T15:01:00.000Z', null],
    ]);
    const july = writeTmp('DAT_ASCII_AUDUSD_M1_202407.csv', '20240630 190000;0.67000;0.67010;0.66990;0.67000;0\n');
    const r2 = await ingest(t.pool, july);
    expect(r2.baselinesEstablished).toEqual(['audusd']);
    const { rows } = await t.pool.query(`select close, rate_index, high_index from bqx.m1 where pair = 'audusd' order by ts_utc`);
    expect(rows.map((x) => x.rate_index)).toEqual([(100 * 0.66505) / 0.67, (100 * 0.6651) / 0.67, 100]);
    expect(rows[0].high_index).toBe((100 * 0.6651) / 0.67);
  });
});
