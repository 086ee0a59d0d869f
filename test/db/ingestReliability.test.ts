/**
 * Issue 14, the ingest side: what a real store's life does to ingest. Concurrent ingests of a pair
 * (conflicting and identical, on fresh months and existing ones), timestamps that roll over or lie far
 * back, malformed headers, files cut short, implausible prices, lost connections and held locks, and the
 * guards of the destructive commands. Every refusal must leave the store bit for bit as it was.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BqxError } from '../../src/db/errors.ts';
import { loadSql } from '../../src/db/loadSql.ts';
import { ROOT } from '../../src/db/paths.ts';
import { barToCsv, GENERIC_HEADER } from '../../src/ingest/bar.ts';
import { type IngestReport, ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { ensurePartitions, listPartitions } from '../../src/runner/partitions.ts';
import { runnerTick } from '../../src/runner/runnerTick.ts';
import { synthesizeMarket } from '../../src/synth/market.ts';
import { bqxCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath, writeTmp } from '../support/files.ts';
import { storeFingerprint } from '../support/fingerprint.ts';

const BIN = path.join(ROOT, 'bin', 'bqx.mjs');
const INGEST_URL = new URL('../../src/ingest/ingest.ts', import.meta.url).href;
const HEADER = GENERIC_HEADER.join(',');

const bqx = bqxCli();

/** Bars of the synthetic market: [from, from + minutes) on a weekday, one pair. */
function bars(pair: string, from: number, minutes: number, seed = 5) {
  return [...synthesizeMarket({ seed, from, to: from + minutes * 60_000, pairs: [pair], missingRate: 0 })];
}
/** The same time of day on the next Monday to Thursday at or after ts (the market is open all day). */
function wd(ts: number): number {
  while ([0, 5, 6].includes(new Date(ts).getUTCDay())) ts += 86_400_000;
  return ts;
}
const csv = (name: string, rows: string[], end = '\n') => writeTmp(name, [HEADER, ...rows].join('\n') + end);
const ingest = (pool: pg.Pool, f: string, opts: { rejectFile?: string; format?: string; pair?: string; fastPathRows?: number } = {}) =>
  ingestSource(pool, openSource(f, { format: opts.format, pair: opts.pair }), {
    rejectFile: opts.rejectFile,
    fastPathRows: opts.fastPathRows,
  });
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as BqxError;
  }
  throw new Error('expected a failure');
};
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Tally per class for the README's reliability table: tried, refused cleanly, accepted wrongly, data lost. */
const tally = new Map<string, { tried: number; refused: number; acceptedWrongly: number; lost: number }>();
function count(cls: string, outcome: 'refused' | 'accepted' | 'acceptedWrongly' | 'lost') {
  const t = tally.get(cls) ?? { tried: 0, refused: 0, acceptedWrongly: 0, lost: 0 };
  t.tried++;
  if (outcome === 'refused') t.refused++;
  if (outcome === 'acceptedWrongly') t.acceptedWrongly++;
  if (outcome === 'lost') t.lost++;
  tally.set(cls, t);
}
afterAll(() => {
  const lines = [...tally].map(
    ([cls, t]) => `${cls}: tried ${t.tried}, refused ${t.refused}, accepted wrongly ${t.acceptedWrongly}, lost ${t.lost}`,
  );
  process.stdout.write(`\nreliability tally (issue 14, ingest):\n  ${lines.join('\n  ')}\n`);
});

describe('concurrent ingests of a pair serialise (issue 14 item 2)', () => {
  const t = useTestDatabase();
  const ROUNDS = 20;

  it(`conflicting files at once: exactly one loads, the other exits 4, on fresh and existing months (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      // even rounds: a month with no partitions yet; odd rounds: the previous round's month, a day later
      const month = Date.UTC(2022, Math.floor(i / 2), 1);
      const base = wd(month + 3 * 86_400_000 + 8 * 3_600_000);
      const day = i % 2 ? wd(base + 86_400_000) : base;
      const pair = ['eurusd', 'usdjpy', 'gbpchf', 'audnzd'][i % 4];
      const bs = bars(pair, day, 90, i);
      const a = csv(`conf-a-${i}.csv`, bs.map(barToCsv));
      const other = bs.map((b, k) => (k === 45 ? { ...b, volume: (b.volume ?? 0) + 7 } : b));
      const b = csv(`conf-b-${i}.csv`, other.map(barToCsv));
      // a third ingest of another pair, making its own fresh partitions at the same time
      const third = csv(`conf-c-${i}.csv`, bars('nzdcad', wd(day + 86_400_000 * 7), 30, i).map(barToCsv));
      const res = await Promise.allSettled([ingest(t.pool, a), ingest(t.pool, b), ingest(t.pool, third)]);
      expect(res[2].status, String((res[2] as PromiseRejectedResult).reason)).toBe('fulfilled');
      const ok = res.slice(0, 2).filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<IngestReport>[];
      const bad = res.slice(0, 2).filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      const lost = ok.length === 2;
      count('concurrent conflicting ingests', bad.length === 1 && ok.length === 1 ? 'refused' : lost ? 'acceptedWrongly' : 'lost');
      expect(
        bad.map((r) => (r.reason as BqxError).code),
        String(bad.map((r) => r.reason)),
      ).toEqual(['BQX_INGEST_CONFLICT']);
      expect((bad[0].reason as BqxError).message).toMatch(/:47: conflicts with the stored bar/);
      expect(ok[0].value.inserted).toBe(90);
      // the stored bars are exactly the winner's
      const winner = res[0].status === 'fulfilled' ? bs : other;
      const { rows } = await t.pool.query(
        `select ts_utc, volume from bqx.m1 where pair = $1 and ts_utc >= $2 and ts_utc < $3 order by ts_utc`,
        [pair, new Date(day), new Date(day + 90 * 60_000)],
      );
      expect(rows.map((r) => [r.ts_utc.getTime(), r.volume])).toEqual(winner.map((w) => [w.ts, w.volume]));
    }
  }, 600_000);

  it(`identical files at once: both exit 0, the bars are stored once (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const month = Date.UTC(2020, Math.floor(i / 2), 1);
      const base = wd(month + 3 * 86_400_000 + 9 * 3_600_000);
      const day = i % 2 ? wd(base + 86_400_000) : base;
      const pair = ['eurgbp', 'cadjpy'][i % 2];
      const bs = bars(pair, day, 60, 100 + i);
      const a = csv(`same-a-${i}.csv`, bs.map(barToCsv));
      const b = csv(`same-b-${i}.csv`, bs.map(barToCsv));
      const res = await Promise.allSettled([ingest(t.pool, a), ingest(t.pool, b)]);
      const ok = res.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<IngestReport>[];
      count('concurrent identical ingests', ok.length === 2 ? 'accepted' : 'lost');
      expect(ok.length, String(res.map((r) => (r as PromiseRejectedResult).reason))).toBe(2);
      expect(ok.map((r) => r.value.inserted).sort((x, y) => x - y)).toEqual([0, 60]);
      expect(ok.map((r) => r.value.unchanged).sort((x, y) => x - y)).toEqual([0, 60]);
      const n = (
        await t.pool.query(`select count(*)::int as n from bqx.m1 where pair = $1 and ts_utc >= $2 and ts_utc < $3`, [
          pair,
          new Date(day),
          new Date(day + 3_600_000),
        ])
      ).rows[0].n;
      expect(n).toBe(60);
    }
    // m1_rows, which the triggers keep, agrees with the table after all the races
    const drift = (
      await t.pool.query(`select count(*)::int as n from (select pair, date_trunc('month', ts_utc, 'UTC') as month, count(*) as rows from bqx.m1 group by 1, 2) c
      full join bqx.m1_rows r using (pair, month) where c.rows is distinct from r.rows and coalesce(r.rows, 0) <> coalesce(c.rows, 0)`)
    ).rows[0].n;
    expect(drift).toBe(0);
  }, 600_000);
});

describe('bounds on the past, on months per transaction and on ranges (item 3)', () => {
  const t = useTestDatabase();
  const day = Date.UTC(2024, 6, 9, 10);

  it('refuses a 1970 or year-1 bar with exit 3 naming the line, and creates no partition', async () => {
    const good = bars('eurusd', day, 30).map(barToCsv);
    for (const ts of ['1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00Z', '1999-12-31T23:59:00Z']) {
      const rows = [...good];
      rows[10] = rows[10].replace(/^([^,]+),[^,]+/, `$1,${ts}`);
      const f = csv(`past-${ts.slice(0, 4)}.csv`, rows);
      const before = await storeFingerprint(t.pool);
      const e = await failure(ingest(t.pool, f));
      count('timestamps far in the past', e.code === 'BQX_INGEST_INVALID' ? 'refused' : 'acceptedWrongly');
      expect(e.code).toBe('BQX_INGEST_INVALID');
      expect(e.exitCode).toBe(3);
      expect(e.message).toContain(
        `${f}:12: timestamp ${new Date(Date.parse(ts)).toISOString()} is before the earliest allowed instant 2000-01-01T00:00:00.000Z (bqx.settings.min_ts)`,
      );
      expect(await storeFingerprint(t.pool)).toEqual(before);
    }
  });

  it('refuses an ingest that would create more partitions than max_partitions_per_ingest in one transaction', async () => {
    const f = csv('wide.csv', [...bars('eurusd', Date.UTC(2001, 0, 9, 10), 2), ...bars('eurusd', day, 2)].map(barToCsv));
    const before = await storeFingerprint(t.pool);
    const tables = (await t.pool.query(`select count(*)::int as n from pg_class where relnamespace = 'bqx'::regnamespace`)).rows[0].n;
    const e = await failure(ingest(t.pool, f));
    count('ingests spanning too many months', e.code === 'BQX_BAD_RANGE' ? 'refused' : 'acceptedWrongly');
    expect(e.code).toBe('BQX_BAD_RANGE');
    expect(e.message).toMatch(
      /would create 2\d\d m1 partitions \(limit 200, bqx.settings.max_partitions_per_ingest\): eurusd 2001-01..2024-07/,
    );
    expect(e.hint).toContain('bqx partitions ensure --family m1 --pairs eurusd --from 2001-01 --to 2024-08');
    expect(await storeFingerprint(t.pool)).toEqual(before);
    expect((await t.pool.query(`select count(*)::int as n from pg_class where relnamespace = 'bqx'::regnamespace`)).rows[0].n).toBe(tables);
    // the hint works: the partitions made first (one transaction per pair), the same file loads
    await ensurePartitions(t.pool, ['m1'], ['eurusd'], { from: Date.UTC(2001, 0, 1), to: Date.UTC(2024, 7, 1) }, 0);
    expect((await ingest(t.pool, f)).inserted).toBe(4);
  });

  it('refuses at the row that breaks the cap, with the staging COPY open, counting the partitions that exist', async () => {
    // pairs of their own: the test above made eurusd's months, and this database is shared within the describe
    const old = Date.UTC(2001, 0, 9, 10);
    const rows = [...bars('usdcad', old, 2), ...bars('nzdusd', day, 2), ...bars('usdcad', day, 2)].map(barToCsv);
    // a bad row after the one that breaks the cap: an ingest that read on would report it (exit 3, invalid)
    const f = csv('wide-early.csv', [...rows, 'usdcad,not a bar']);
    const before = await storeFingerprint(t.pool);
    // one buffered row: the fast path spills at the second, so the check runs while the staging COPY is
    // open on the ingest's client (where a query to the server would wait behind the COPY for ever)
    const e = await failure(ingest(t.pool, f, { fastPathRows: 1 }));
    expect(e.code).toBe('BQX_BAD_RANGE');
    // line 6, the first usdcad bar of 2024: usdcad 2001-01..2024-07 plus premake, and nzdusd's months
    expect(e.message).toContain(
      'nzdusd 2024-07..2024-07, usdcad 2001-01..2024-07, by line 6: reading stopped there, and nothing was loaded',
    );
    expect(e.hint).toContain(
      'bqx partitions ensure --family m1 --pairs nzdusd,usdcad --from 2001-01 --to 2024-08 with every pair and month of the file',
    );
    // the count is partitions_needed.sql's, the check the ingest makes under its locks
    const needed = (
      await t.pool.query(loadSql(INGEST_URL, 'sql/partitions_needed.sql'), [
        ['usdcad', 'nzdusd'],
        [new Date(old), new Date(day)],
        [new Date(day), new Date(day + 60_000)],
      ])
    ).rows[0].needed;
    expect(needed).toBeGreaterThan(200);
    expect(e.details).toMatchObject({ needed, limit: 200, atLine: 6 });
    expect(await storeFingerprint(t.pool)).toEqual(before);

    // with 2001..2014 made, what is left fits: the early count and the final one both leave out what exists
    await ensurePartitions(t.pool, ['m1'], ['usdcad'], { from: Date.UTC(2001, 0, 1), to: Date.UTC(2015, 0, 1) }, 0);
    const fits = csv('wide-early-fits.csv', rows);
    expect((await ingest(t.pool, fits, { fastPathRows: 1 })).inserted).toBe(6);
  });

  it('bqx.ensure_partitions refuses a range before min_ts', async () => {
    const e = await failure(ensurePartitions(t.pool, ['m1'], ['gbpusd'], { from: Date.UTC(1970, 0, 1), to: Date.UTC(1970, 1, 1) }, 0));
    expect(e.code).toBe('BQX_BAD_RANGE');
    expect(e.message).toMatch(/starts before min_ts/);
    expect(await listPartitions(t.pool, 'm1', 'gbpusd')).toHaveLength(0);
  });

  it('partitions ensure and synth refuse a range wider than max_range_months unless --force', async () => {
    const wide = await bqx(t.url, 'partitions', 'ensure', '--family', 'm1', '--pairs', 'gbpusd', '--from', '2000-01', '--to', '2024-01');
    expect(wide.code).toBe(3);
    expect(wide.stderr).toMatch(/spans 288 months, more than 36 \(bqx.settings.max_range_months\)/);
    expect(await listPartitions(t.pool, 'm1', 'gbpusd')).toHaveLength(0);
    const forced = await bqx(
      t.url,
      'partitions',
      'ensure',
      '--family',
      'm1',
      '--pairs',
      'gbpusd',
      '--from',
      '2020-01',
      '--to',
      '2024-01',
      '--premake',
      '0',
      '--force',
      '--json',
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).created).toBe(48);
    const synth = await bqx(t.url, 'synth', '--pairs', 'eurusd', '--from', '2000-01', '--to', '2024-01');
    expect(synth.code).toBe(3);
    expect(synth.stderr).toMatch(/synth: .* spans 288 months/);
  }, 120_000);
});

describe('plausible input stored wrong (item 4)', () => {
  const t = useTestDatabase();
  const day = Date.UTC(2024, 6, 10, 10);
  const good = bars('usdjpy', day, 20);
  const goodRows = good.map(barToCsv);

  async function refused(cls: string, f: string, code: string, message: RegExp | string, opts: { format?: string; pair?: string } = {}) {
    const before = await storeFingerprint(t.pool);
    let e: BqxError | null = null;
    try {
      await ingest(t.pool, f, opts);
    } catch (x) {
      e = x as BqxError;
    }
    count(cls, e ? 'refused' : 'acceptedWrongly');
    expect(e, `${f} was accepted`).not.toBeNull();
    expect(e!.code).toBe(code);
    if (typeof message === 'string') expect(e!.message).toContain(message);
    else expect(e!.message).toMatch(message);
    expect(await storeFingerprint(t.pool)).toEqual(before);
    return e!;
  }
  const patchTs = (ts: string) => {
    const r = [...goodRows];
    r[4] = r[4].replace(/^([^,]+),[^,]+/, `$1,${ts}`);
    return r;
  };

  it('refuses days and hours that roll over, in every format', async () => {
    for (const ts of [
      '2024-02-30T00:00:00Z',
      '2024-07-10T24:00:00Z',
      '2023-02-29T10:00:00Z',
      '2024-07-10T10:60:00Z',
      '2024-13-01T00:00:00Z',
      '2024-07-10 10:00:00+25:00',
    ]) {
      await refused(
        'timestamps that roll over',
        csv(`roll-${crypto.randomUUID()}.csv`, patchTs(ts)),
        'BQX_INGEST_INVALID',
        ':6: timestamp',
      );
    }
    await refused(
      'timestamps that roll over',
      writeTmp(
        'DAT_ASCII_USDJPY_M1_2024.csv',
        '20240710 100000;161.100;161.120;161.090;161.110;0\n20240230 100000;161.100;161.120;161.090;161.110;0\n',
      ),
      'BQX_INGEST_INVALID',
      /:2: timestamp "20240230 100000" is not a calendar instant/,
    );
    await refused(
      'timestamps that roll over',
      writeTmp('DAT_ASCII_USDJPY_M1_2024b.csv', '20240710 240000;161.100;161.120;161.090;161.110;0\n'),
      'BQX_INGEST_INVALID',
      /:1: timestamp "20240710 240000" is not a calendar instant/,
    );
    await refused(
      'timestamps that roll over',
      writeTmp('usdjpy-duka.csv', 'Gmt time,Open,High,Low,Close,Volume\n30.02.2024 10:00:00.000,161.1,161.12,161.09,161.11,12.5\n'),
      'BQX_INGEST_INVALID',
      /:2: timestamp "30.02.2024 10:00:00.000" is not a calendar instant/,
    );
    const candle = (time: string) => ({ complete: true, volume: 5, time, mid: { o: '161.100', h: '161.120', l: '161.090', c: '161.110' } });
    await refused(
      'timestamps that roll over',
      writeTmp(
        'roll.json',
        JSON.stringify({
          instrument: 'USD_JPY',
          granularity: 'M1',
          candles: [candle('2024-07-10T10:00:00.000000000Z'), candle('2024-02-30T10:00:00.000000000Z')],
        }),
      ),
      'BQX_INGEST_INVALID',
      /candle 2: time "2024-02-30T10:00:00.000000000Z" does not parse/,
    );
  });

  it('refuses a Dukascopy "Local time" file whose timestamps carry no GMT offset, and reads one that does', async () => {
    const e = await refused(
      'zone-less local times',
      writeTmp('usdjpy-local.csv', 'Local time,Open,High,Low,Close,Volume\n10.07.2024 12:00:00.000,161.1,161.12,161.09,161.11,12.5\n'),
      'BQX_INGEST_FORMAT',
      ':2: a "Local time" export whose timestamp "10.07.2024 12:00:00.000" carries no GMT offset',
    );
    expect(e.hint).toMatch(/Gmt time/);
    const ok = await ingest(
      t.pool,
      writeTmp(
        'usdjpy-local-gmt.csv',
        'Local time,Open,High,Low,Close,Volume\n10.07.2024 14:00:00.000 GMT+0200,161.1,161.12,161.09,161.11,12.5\n',
      ),
    );
    expect(ok.inserted).toBe(1);
    const { rows } = await t.pool.query(`select ts_utc from bqx.m1 where pair = 'usdjpy'`);
    expect(rows.map((r) => r.ts_utc.toISOString())).toEqual(['2024-07-10T12:00:00.000Z']);
  });

  it('refuses a header that names a column twice', async () => {
    await refused(
      'headers naming a column twice',
      writeTmp(
        'two-ts.csv',
        'pair,ts_utc,time,open,high,low,close\nusdjpy,2024-07-10T10:00:00Z,2024-07-10T11:00:00Z,161.1,161.12,161.09,161.11\n',
      ),
      'BQX_INGEST_FORMAT',
      /the header names ts_utc twice \(column 2 "ts_utc" and column 3 "time"\)/,
    );
    await refused(
      'headers naming a column twice',
      writeTmp('two-close.csv', 'pair,ts_utc,open,high,low,close,close\nusdjpy,2024-07-10T10:00:00Z,161.1,161.12,161.09,161.11,161.10\n'),
      'BQX_INGEST_FORMAT',
      /the header names close twice \(column 6 "close" and column 7 "close"\)/,
    );
    await refused(
      'headers naming a column twice',
      writeTmp('usdjpy-duka2.csv', 'Gmt time,Open,High,Low,Close,Close\n10.07.2024 10:00:00.000,161.1,161.12,161.09,161.11,161.1\n'),
      'BQX_INGEST_FORMAT',
      /not a Dukascopy header/,
    );
  });

  it('refuses a last line cut short (no final newline) in every text format; with --reject-file the rest loads', async () => {
    // the cut keeps the line valid-looking: volume 123 -> 12
    const cut = [...goodRows.slice(0, 9), goodRows[9].replace(/,(\d+)$/, (_m, v: string) => `,${v.slice(0, Math.max(1, v.length - 1))}`)];
    const f = csv('cut.csv', cut, '');
    const e = await refused(
      'files cut inside their last line',
      f,
      'BQX_INGEST_INVALID',
      `${f}:11: the file ends inside this line (no final newline)`,
    );
    expect(e.hint).toMatch(/--reject-file/);
    await refused(
      'files cut inside their last line',
      writeTmp(
        'DAT_ASCII_USDJPY_M1_cut.csv',
        '20240710 100000;161.100;161.120;161.090;161.110;0\n20240710 100100;161.100;161.120;161.090;161.110;1',
      ),
      'BQX_INGEST_INVALID',
      ':2: the file ends inside this line',
    );
    await refused(
      'files cut inside their last line',
      writeTmp(
        'usdjpy-duka-cut.csv',
        'Gmt time,Open,High,Low,Close,Volume\n10.07.2024 10:00:00.000,161.1,161.12,161.09,161.11,12.5\n10.07.2024 10:01:00.000,161.1,161.12,161.09,161.11,1',
      ),
      'BQX_INGEST_INVALID',
      ':3: the file ends inside this line',
    );
    const rejectFile = tmpPath('cut.rejects.csv');
    const r = await ingest(t.pool, f, { rejectFile });
    expect(r).toMatchObject({ inserted: 9, rejected: 1 });
    expect(fs.readFileSync(rejectFile, 'utf8').split('\n')[1]).toMatch(/^11,"the file ends inside this line/);
    await t.pool.query(`delete from bqx.m1 where pair = 'usdjpy'`);
  });

  it('refuses implausible prices and volumes naming line and value', async () => {
    const setClose = (v: string) => {
      const r = [...goodRows];
      const f = r[6].split(',');
      f[2] = f[3] = f[4] = f[5] = v;
      r[6] = f.join(',');
      return r;
    };
    const mid = (v: string) => {
      const r = [...goodRows];
      const f = r[6].split(',');
      f[2] = f[3] = f[4] = f[5] = v;
      for (let k = 6; k < 14; k++) f[k] = '';
      r[6] = f.join(',');
      return r;
    };
    await refused(
      'implausible prices',
      csv('p-1e200.csv', mid('1e200')),
      'BQX_INGEST_INVALID',
      /:8: low 1e\+200 is implausible for usdjpy|:8: high 1e\+200 is implausible/,
    );
    await refused(
      'implausible prices',
      csv('p-1e-300.csv', mid('1e-300')),
      'BQX_INGEST_INVALID',
      /:8: low 1e-300 is implausible for usdjpy: below /,
    );
    await refused(
      'implausible prices',
      csv('p-lost-point.csv', setClose('161110')),
      'BQX_INGEST_INVALID',
      ':8: high 161110 is implausible for usdjpy: above',
    );
    const vol = [...goodRows];
    vol[3] = vol[3].replace(/,(\d+)$/, ',1e200');
    await refused('implausible prices', csv('v-1e200.csv', vol), 'BQX_INGEST_INVALID', ':5: volume 1e+200 is implausible');
    // once the baseline is known, the band is relative to it: 5x the level is refused, the level itself loads
    await ingest(t.pool, csv('level.csv', goodRows));
    const B = (await t.pool.query(`select base_close from bqx.baselines where pair = 'usdjpy'`)).rows[0].base_close as number;
    expect(B).toBeGreaterThan(100);
    const later = bars('usdjpy', day + 86_400_000, 5).map(barToCsv);
    const f = later[2].split(',');
    const x5 = String(Math.round(B * 5));
    f[2] = f[3] = f[4] = f[5] = x5;
    for (let k = 6; k < 14; k++) f[k] = '';
    later[2] = f.join(',');
    await refused('implausible prices', csv('p-5x.csv', later), 'BQX_INGEST_INVALID', `:4: high ${x5} is implausible for usdjpy: above`);
  });

  it('the runner takes a watched file only when complete, and a conflicting file never blocks the rest of the feed', async () => {
    const dir = tmpPath('feed');
    fs.mkdirSync(dir, { recursive: true });
    const log: Array<Record<string, unknown>> = [];
    const tick = () => runnerTick(t.pool, { pairs: [], concurrency: 1, watchDir: dir, log: (e) => log.push(e), settleMs: 300 });
    const feed = bars('eurchf', Date.UTC(2024, 6, 11, 8), 30).map(barToCsv);
    // a writer mid-way: the last line is cut
    const a = path.join(dir, 'a.csv');
    fs.writeFileSync(a, [HEADER, ...feed.slice(0, 10), feed[10].slice(0, -2)].join('\n'));
    fs.writeFileSync(path.join(dir, 'b.csv.part'), [HEADER, ...feed.slice(20)].join('\n') + '\n');
    expect((await tick()).files).toBe(0);
    expect(log.filter((e) => e.event === 'ingest_deferred').map((e) => path.basename(String(e.file)))).toEqual(['a.csv']);
    expect((await t.pool.query(`select count(*)::int as n from bqx.m1 where pair = 'eurchf'`)).rows[0].n).toBe(0);
    // the writer finishes; the part file is renamed into place
    fs.writeFileSync(a, [HEADER, ...feed.slice(0, 20)].join('\n') + '\n');
    fs.renameSync(path.join(dir, 'b.csv.part'), path.join(dir, 'b.csv'));
    await new Promise((r) => setTimeout(r, 350));
    const r1 = await tick();
    expect(r1).toMatchObject({ files: 2, barsInserted: 30 });
    // a file with one bar that differs from the stored one, then a file of new bars after it
    const next = bars('eurchf', Date.UTC(2024, 6, 11, 9), 10).map(barToCsv);
    const conflicting = [...feed.slice(15, 20)];
    conflicting[2] = conflicting[2].replace(/,(\d+)$/, (_m, v: string) => `,${Number(v) + 1}`);
    fs.writeFileSync(path.join(dir, 'c.csv'), [HEADER, ...conflicting, ...next.slice(0, 5)].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'd.csv'), [HEADER, ...next.slice(5)].join('\n') + '\n');
    await new Promise((r) => setTimeout(r, 350));
    const r2 = await tick();
    expect(r2).toMatchObject({ files: 2, barsInserted: 10 });
    const q = log.find((e) => e.event === 'ingest_conflicts')!;
    expect(q).toMatchObject({ rejected: 1, inserted: 5 });
    expect(fs.readFileSync(String(q.quarantined), 'utf8')).toMatch(
      /^line,reason,raw\n4,"conflicts with the stored bar eurchf 2024-07-11T08:17Z/,
    );
    expect((await t.pool.query(`select count(*)::int as n from bqx.m1 where pair = 'eurchf'`)).rows[0].n).toBe(40);
    // recorded: the next tick takes nothing again
    expect((await tick()).files).toBe(0);
  });
});

describe('lost connections, timeouts and held locks end as typed errors (item 5)', () => {
  const t = useTestDatabase();
  let big: string;

  async function holder(pair: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: t.url, application_name: 'bqx-test-holder' });
    await c.connect();
    await c.query(`select pg_advisory_lock(hashtext('bqx.partitions'), hashtext('m1.' || $1::text))`, [pair]);
    return c;
  }
  async function waitForIngestWaiting(): Promise<number> {
    for (let i = 0; i < 600; i++) {
      const { rows } = await t.pool.query(
        `select pid from pg_stat_activity where datname = current_database() and application_name = 'bqx-store' and wait_event_type = 'Lock' and wait_event = 'advisory'`,
      );
      if (rows.length) return rows[0].pid;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the ingest never waited for the lock');
  }

  it('a lock held elsewhere: the ingest waits ingest_lock_timeout, then exits 7 naming the holder', async () => {
    await t.pool.query(`update bqx.settings set value = '1s' where key = 'ingest_lock_timeout'`);
    const c = await holder('eurusd');
    try {
      const pid = (await c.query('select pg_backend_pid() as pid')).rows[0].pid;
      const f = csv('locked.csv', bars('eurusd', Date.UTC(2024, 6, 9, 10), 10).map(barToCsv));
      const before = await storeFingerprint(t.pool);
      const e = await failure(ingest(t.pool, f));
      count('held locks and lost connections', e.code === 'BQX_LOCKED' ? 'refused' : 'acceptedWrongly');
      expect(e.code).toBe('BQX_LOCKED');
      expect(e.exitCode).toBe(7);
      expect(e.message).toContain(`waited 1s for a lock on eurusd and gave up; nothing was loaded`);
      expect(e.message).toContain(`eurusd: pid ${pid} (application_name "bqx-test-holder"`);
      expect(e.hint).toContain(`pg_terminate_backend(${pid})`);
      expect(await storeFingerprint(t.pool)).toEqual(before);
      // the CLI says the same with exit 7
      const r = await bqx(t.url, 'ingest', f);
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toContain('BQX_LOCKED');
      expect(r.stderr).toContain('"bqx-test-holder"');
    } finally {
      await c.end();
      await t.pool.query(`update bqx.settings set value = '60s' where key = 'ingest_lock_timeout'`);
    }
  });

  it('a session terminated mid-ingest: BQX_DB exit 6 with a message, not an unhandled error event; a re-run loads', async () => {
    const f = csv('terminated.csv', bars('gbpusd', Date.UTC(2024, 6, 9, 10), 60).map(barToCsv));
    const before = await storeFingerprint(t.pool);
    // in process: terminate the ingest while it waits for the pair lock
    let c = await holder('gbpusd');
    const p = failure(ingest(t.pool, f));
    await t.pool.query('select pg_terminate_backend($1)', [await waitForIngestWaiting()]);
    const e = await p;
    await c.end();
    count('held locks and lost connections', e.code === 'BQX_DB' ? 'refused' : 'acceptedWrongly');
    expect(e).toBeInstanceOf(BqxError);
    expect(e.code).toBe('BQX_DB');
    expect(e.message).toMatch(/terminat|connection/i);
    expect(await storeFingerprint(t.pool)).toEqual(before);
    // the command: exit 6 and a message
    c = await holder('gbpusd');
    const child = spawn(process.execPath, [BIN, 'ingest', f, '--database-url', t.url], {
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await t.pool.query('select pg_terminate_backend($1)', [await waitForIngestWaiting()]);
    const code = await exited;
    await c.end();
    count('held locks and lost connections', code === 6 ? 'refused' : 'acceptedWrongly');
    expect(code, stderr).toBe(6);
    expect(stderr).toMatch(/^bqx: BQX_DB: /);
    expect(stderr).not.toMatch(/Unhandled|TypeError/);
    expect(await storeFingerprint(t.pool)).toEqual(before);
    expect((await ingest(t.pool, f)).inserted).toBe(60);
  }, 120_000);

  // Both COPYs an ingest may run: into staging (forced with fastPathRows: 0), and the fast path's
  // straight into the pair's table bqx.m1_<pair> (this file's range meets no stored bar).
  for (const [path, fastPathRows, copying] of [
    ['staging', 0, `query ilike 'copy pg_temp.bqx_staging%'`],
    ['the fast path', undefined, `query ilike '%copy bqx."m1_%" (%'`],
  ] as const) {
    it(`a session terminated during the COPY itself (${path}) ends as BQX_DB too`, async () => {
      big = tmpPath('big.csv');
      const rows: string[] = [];
      for (const pair of ['audusd', 'nzdusd', 'usdcad', 'usdchf', 'audcad', 'audchf', 'cadchf', 'nzdchf'])
        for (const b of bars(pair, Date.UTC(2024, 6, 15), 5 * 1440, 9)) rows.push(barToCsv(b));
      fs.writeFileSync(big, [HEADER, ...rows].join('\n') + '\n');
      const before = await storeFingerprint(t.pool);
      const p = failure(ingest(t.pool, big, { fastPathRows }));
      let killed = false;
      for (let i = 0; i < 400 && !killed; i++) {
        const { rows: r } = await t.pool.query(
          `select pg_terminate_backend(pid) as k from pg_stat_activity where datname = current_database() and application_name = 'bqx-store' and ${copying} and pid <> pg_backend_pid()`,
        );
        killed = r.length > 0;
        if (!killed) await new Promise((res) => setTimeout(res, 10));
      }
      expect(killed).toBe(true);
      const e = await p;
      count('held locks and lost connections', e.code === 'BQX_DB' ? 'refused' : 'acceptedWrongly');
      expect(e.code, String(e.stack)).toBe('BQX_DB');
      expect(await storeFingerprint(t.pool)).toEqual(before);
    }, 120_000);
  }

  it('a statement_timeout that cancels the COPY ends as BQX_DB naming the timeout, not a TypeError', async () => {
    const pool = new pg.Pool({ connectionString: t.url, max: 2, options: '-c TimeZone=UTC -c statement_timeout=300' });
    pool.on('error', () => {});
    try {
      const before = await storeFingerprint(t.pool);
      // staged (fastPathRows: 0): the staging COPY runs for as long as the file is read, past the timeout
      const e = await failure(ingest(pool, big, { fastPathRows: 0 }));
      count('held locks and lost connections', e.code === 'BQX_DB' ? 'refused' : 'acceptedWrongly');
      expect(e).toBeInstanceOf(BqxError);
      expect(e.code).toBe('BQX_DB');
      expect(e.message).toMatch(/statement timeout/);
      expect(e.hint).toMatch(/statement_timeout/);
      expect(await storeFingerprint(t.pool)).toEqual(before);
    } finally {
      await pool.end();
    }
  }, 120_000);
});

describe('destructive commands have guards (item 6)', () => {
  const t = useTestDatabase();

  it('partitions drop refuses a cut in the future or past the watermarks unless --force; --dry-run lists what would go', async () => {
    await ingest(
      t.pool,
      csv('keep.csv', [...bars('eurusd', Date.UTC(2024, 3, 9, 10), 10), ...bars('eurusd', Date.UTC(2024, 6, 9, 10), 10)].map(barToCsv)),
    );
    await ensurePartitions(t.pool, ['bqx'], ['eurusd'], { from: Date.UTC(2024, 3, 1), to: Date.UTC(2024, 7, 1) }, 0);
    const before = await storeFingerprint(t.pool);
    const future = await bqx(t.url, 'partitions', 'drop', '--before', '2100-01');
    count('destructive commands', future.code === 3 ? 'refused' : 'acceptedWrongly');
    expect(future.code).toBe(3);
    expect(future.stderr).toMatch(/refused, nothing was dropped\n {2}the cut 2100-01-01 00:00Z is in the future/);
    expect(await storeFingerprint(t.pool)).toEqual(before);
    // never computed: no watermark
    const unseen = await bqx(t.url, 'partitions', 'drop', '--before', '2024-06', '--pairs', 'eurusd');
    count('destructive commands', unseen.code === 3 ? 'refused' : 'acceptedWrongly');
    expect(unseen.stderr).toContain('eurusd has bars before the cut whose features were never computed');
    // computed through 2024-05-01: a cut at 2024-06 is past it; at 2024-05 it is not
    await t.pool.query(
      `insert into bqx.watermarks (pair, family, refreshed_through) values ('eurusd', 'bqx', '2024-05-01'), ('eurusd', 'labels', '2024-07-09 10:09')`,
    );
    const past = await bqx(t.url, 'partitions', 'drop', '--before', '2024-06', '--pairs', 'eurusd');
    count('destructive commands', past.code === 3 ? 'refused' : 'acceptedWrongly');
    expect(past.code).toBe(3);
    expect(past.stderr).toContain('is past the watermark of eurusd (every family computed through 2024-05-01 00:00Z)');
    expect(await storeFingerprint(t.pool)).toEqual(before);
    const dry = await bqx(t.url, 'partitions', 'drop', '--before', '2024-06', '--pairs', 'eurusd', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan.wouldDrop.map((p: { partition_name: string }) => p.partition_name)).toEqual([
      'm1_eurusd_2024_04',
      'm1_eurusd_2024_05',
      'bqx_eurusd_2024_04',
      'bqx_eurusd_2024_05',
    ]);
    expect(plan.refusedWithoutForce).toHaveLength(1);
    expect(await storeFingerprint(t.pool)).toEqual(before);
    const ok = await bqx(t.url, 'partitions', 'drop', '--before', '2024-05', '--pairs', 'eurusd', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).rows.map((r: { partition_name: string }) => r.partition_name)).toEqual([
      'm1_eurusd_2024_04',
      'bqx_eurusd_2024_04',
    ]);
    const forced = await bqx(
      t.url,
      'partitions',
      'drop',
      '--before',
      '2024-06',
      '--pairs',
      'eurusd',
      '--family',
      'bqx',
      '--force',
      '--json',
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).rows.map((r: { partition_name: string }) => r.partition_name)).toEqual(['bqx_eurusd_2024_05']);
  }, 120_000);

  it('refuses a --reject-file that is the input, by path, relative path, symlink or hard link', async () => {
    const f = csv('input.csv', [
      ...bars('usdchf', Date.UTC(2024, 6, 9, 10), 5).map(barToCsv),
      'usdchf,2024-07-09T11:00:00Z,NaN,1,1,1,,,,,,,,,1',
    ]);
    const digest = sha(f);
    fs.symlinkSync(f, tmpPath('input-link.csv'));
    fs.linkSync(f, tmpPath('input-hard.csv'));
    const rel = path.relative(process.cwd(), f);
    for (const rejectFile of [f, rel, tmpPath('input-link.csv'), tmpPath('input-hard.csv'), path.join(path.dirname(f), '.', 'input.csv')]) {
      const before = await storeFingerprint(t.pool);
      const e = await failure(ingest(t.pool, f, { rejectFile }));
      count('destructive commands', e.code === 'BQX_USAGE' ? 'refused' : 'acceptedWrongly');
      expect(e.code).toBe('BQX_USAGE');
      expect(e.message).toContain('is the input file');
      expect(sha(f)).toBe(digest);
      expect(await storeFingerprint(t.pool)).toEqual(before);
    }
    const r = await bqx(t.url, 'ingest', f, '--reject-file', tmpPath('input-link.csv'));
    expect(r.code).toBe(2);
    expect(sha(f)).toBe(digest);
    // another file is fine
    expect((await ingest(t.pool, f, { rejectFile: tmpPath('input.rejects.csv') })).rejected).toBe(1);
  }, 60_000);
});
