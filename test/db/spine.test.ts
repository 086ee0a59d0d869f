/**
 * Offline serving (issue 18): `bqx dataset build --spine` on a real Postgres and DuckDB. Every event
 * is checked against an independent reference built here from bqx.m1 alone (spec section 10: the
 * latest bar T with T + 1 min <= ts, found by binary search; the dataset's warm-up, range and purge
 * rules applied to that bar's number): its row exists exactly when that bar is a dataset row, with
 * that bar, its features and labels as stored, and its split by the shared cuts. Then the edges (a
 * gap, a weekend, before any bar), the carried columns, bad spines, and the same vector from SQL,
 * HTTP and the dataset for the same instant.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { buildDatasetFiles, type DatasetOptions, type DatasetResult } from '../../src/pipeline/buildDatasetFiles.ts';
import { DuckSession } from '../../src/pipeline/DuckSession.ts';
import { loadSpine, SPINE_RESERVED } from '../../src/pipeline/spine.ts';
import { splitCuts } from '../../src/pipeline/split.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { startServe } from '../../src/serve/serve.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath, writeTmp } from '../support/files.ts';

const PAIRS = ['eurusd', 'usdjpy'];
const FAMILIES = ['bqx', 'bollinger_rate', 'statistics_rate', 'volume_features', 'spread_features', 'time_features', 'labels'];
const EUR_FROM = Date.UTC(2024, 6, 1);
const JPY_FROM = Date.UTC(2024, 5, 27);
const DATA_TO = Date.UTC(2024, 6, 12);
const FROM = Date.UTC(2024, 5, 27);
const TO = Date.UTC(2024, 6, 11);
const MINUTE = 60_000;
const SPECIAL: Array<{ ts: string; signal: number; note: string; bar: string | null }> = [
  { ts: '2024-07-03T10:00:30Z', signal: 1, note: 'half a minute past', bar: '2024-07-03T09:59:00Z' },
  { ts: '2024-07-03T10:01:00Z', signal: 2, note: 'exactly on the minute', bar: '2024-07-03T10:00:00Z' },
  { ts: '2024-07-03T12:15:00Z', signal: 3, note: 'in the gap', bar: '2024-07-03T11:59:00Z' },
  { ts: '2024-07-06T12:00:00Z', signal: 4, note: 'saturday', bar: 'friday' },
  { ts: '2024-06-30T23:00:00Z', signal: 5, note: 'before eurusd has bars', bar: null },
];

describe('dataset build --spine', () => {
  const t = useTestDatabase();
  let res: DatasetResult;
  let duck: DuckSession;
  let spineFile: string;
  const events: Array<{ event: number; pair: string; ts: number; signal: number; note: string }> = [];

  beforeAll(async () => {
    const eur = tmpPath('spine-eur.csv');
    const jpy = tmpPath('spine-jpy.csv');
    await synthToFile(eur, { seed: 21, from: EUR_FROM, to: DATA_TO, pairs: ['eurusd'] });
    await synthToFile(jpy, { seed: 22, from: JPY_FROM, to: DATA_TO, pairs: ['usdjpy'] });
    await ingestSource(t.pool, openSource(eur));
    await ingestSource(t.pool, openSource(jpy));
    await t.pool.query(`delete from bqx.m1 where pair = 'eurusd' and ts_utc >= '2024-07-03T12:00:00Z' and ts_utc < '2024-07-03T12:30:00Z'`);
    const r = await runPairs(t.pool, PAIRS, rangePlan(FAMILIES, JPY_FROM, DATA_TO), { concurrency: 2, trigger: 'backfill' });
    expect(r.every((u) => u.status === 'ok')).toBe(true);

    // seeded events at arbitrary instants (to the millisecond), both pairs, plus the special ones
    let s = 12345;
    const rnd = () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s / 2 ** 31;
    };
    const lines = ['pair,ts,signal,note'];
    const add = (pair: string, ts: number, signal: number, note: string) => {
      events.push({ event: events.length, pair, ts, signal, note });
      lines.push(`${pair === 'usdjpy' && events.length % 7 === 0 ? 'USDJPY' : pair},${new Date(ts).toISOString()},${signal},${note}`);
    };
    for (let i = 0; i < 2500; i++)
      add(PAIRS[i % 2], Date.UTC(2024, 5, 29) + Math.floor(rnd() * 12 * 86_400_000), Math.round(rnd() * 1e4) / 1e4, `n${i}`);
    for (const e of SPECIAL) add('eurusd', Date.parse(e.ts), e.signal, e.note);
    spineFile = writeTmp('spine.csv', `${lines.join('\n')}\n`);
    const opts: DatasetOptions = {
      pairs: PAIRS,
      from: FROM,
      to: TO,
      top: 10,
      trees: 6,
      maxDepth: 5,
      seed: 3,
      concurrency: 2,
      out: tmpPath('spine-ds'),
      maxMissing: 0.01,
      maxGapMinutes: 60,
      selectRows: 1000,
      permutationRows: 300,
      fitRows: 2000,
      spine: spineFile,
      // chunks of 1,500 bars (about ten per pair): events on either side of every chunk boundary must
      // still find their bar, as the reference below finds it over the whole series
      chunkBars: 1500,
    };
    res = await buildDatasetFiles(t.pool, opts);
    duck = await DuckSession.open({ threads: 2 });
    return () => duck.close();
  }, 600_000);

  const rowsOf = async (pair: string) =>
    duck.rows<Record<string, unknown>>(
      `select regexp_extract(filename, '/(train|validation|test)/', 1) as split, epoch_ms(ts) as ts_ms, epoch_ms(ts_utc) as bar_ms, * exclude (ts, ts_utc, filename)
     from read_parquet('${res.out}/*/${pair}.parquet', filename = true) order by event`,
    );

  /** The reference: per pair, bar instants from bqx.m1, and which bars are dataset rows. */
  const reference = async (pair: string) => {
    const bars = (await t.pool.query(`select ts_utc from bqx.m1 where pair = $1 order by ts_utc`, [pair])).rows.map((r) =>
      (r.ts_utc as Date).getTime(),
    );
    const splitEnd = (ts: number) =>
      ts < res.cuts.cut1.getTime() ? res.cuts.cut1.getTime() : ts < res.cuts.cut2.getTime() ? res.cuts.cut2.getTime() : TO;
    const splitOf = (ts: number) => (ts < res.cuts.cut1.getTime() ? 'train' : ts < res.cuts.cut2.getTime() ? 'validation' : 'test');
    const isRow = (i: number) =>
      bars[i] >= FROM && bars[i] < TO && i >= res.featureSet.warmup && i + 60 < bars.length && bars[i + 60] < splitEnd(bars[i]);
    /** Index of the latest bar with T + 1 min <= ts, or -1. */
    const usable = (ts: number) => {
      let lo = 0;
      let hi = bars.length - 1;
      let ans = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (bars[mid] + MINUTE <= ts) {
          ans = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return ans;
    };
    return { bars, splitOf, isRow, usable };
  };

  it('gives each event the latest bar complete at its instant, or no row when that bar is no dataset row', async () => {
    for (const pair of PAIRS) {
      const ref = await reference(pair);
      const rows = new Map((await rowsOf(pair)).map((r) => [Number(r.event), r]));
      let kept = 0;
      for (const e of events.filter((x) => x.pair === pair)) {
        const i = ref.usable(e.ts);
        const row = rows.get(e.event);
        if (i < 0 || !ref.isRow(i)) {
          expect(row, `${pair} event ${e.event} at ${new Date(e.ts).toISOString()}`).toBeUndefined();
          continue;
        }
        kept++;
        expect(row, `${pair} event ${e.event}`).toBeDefined();
        expect(Number(row!.bar_ms)).toBe(ref.bars[i]);
        expect(Number(row!.ts_ms)).toBe(e.ts);
        expect(row!.split).toBe(ref.splitOf(ref.bars[i]));
        expect([row!.signal, row!.note]).toEqual([e.signal, e.note]);
      }
      expect(rows.size).toBe(kept);
      expect(kept).toBeGreaterThan(800);
      expect(res.manifest.spine!.perPair[pair]).toEqual({ events: events.filter((x) => x.pair === pair).length, rows: kept });
    }
    expect(res.cuts).toEqual(await splitCuts(t.pool, PAIRS, FROM, TO));
  });

  it("holds the bar's features, lags and labels as stored", async () => {
    const rows = await rowsOf('usdjpy');
    for (const r of [rows[0], rows[Math.floor(rows.length / 2)], rows[rows.length - 1]]) {
      const bar = new Date(Number(r.bar_ms));
      const view = (await t.pool.query(`select * from bqx.features_usdjpy where ts_utc = $1`, [bar])).rows[0];
      const lag60 = (
        await t.pool.query(`select ts_utc from bqx.m1 where pair = 'usdjpy' and ts_utc < $1 order by ts_utc desc offset 59 limit 1`, [bar])
      ).rows[0].ts_utc;
      const viewLag = (await t.pool.query(`select * from bqx.features_usdjpy where ts_utc = $1`, [lag60])).rows[0];
      const labels = (await t.pool.query(`select * from bqx.labels where pair = 'usdjpy' and ts_utc = $1`, [bar])).rows[0];
      for (const c of res.featureSet.columns) {
        if (c.lag === 0) expect(r[c.name], c.name).toBe(view[c.source]);
        if (c.lag === 60) expect(r[c.name], c.name).toBe(viewLag[c.source]);
      }
      for (const l of res.featureSet.labels) expect(r[l], l).toBe(labels[l]);
    }
  });

  it('at the edges: 10:00:30 sees 09:59, 10:01:00 sees 10:00, a gap its last bar, a weekend Friday, before any bar nothing', async () => {
    const rows = await rowsOf('eurusd');
    const byNote = new Map(rows.map((r) => [r.note as string, r]));
    for (const e of SPECIAL) {
      const r = byNote.get(e.note);
      if (e.bar === null) expect(r, e.note).toBeUndefined();
      else if (e.bar === 'friday') {
        const friday = (await t.pool.query(`select max(ts_utc) as ts from bqx.m1 where pair = 'eurusd' and ts_utc < '2024-07-06'`)).rows[0]
          .ts as Date;
        expect(new Date(Number(r!.bar_ms)).toISOString()).toBe(friday.toISOString());
        expect(friday.toISOString().startsWith('2024-07-05T21:')).toBe(true);
      } else expect(new Date(Number(r!.bar_ms)).toISOString(), e.note).toBe(new Date(e.bar).toISOString());
    }
    // usdjpy has bars on 30 June; the eurusd event then takes none of them
    expect(
      (await t.pool.query(`select count(*)::int as n from bqx.m1 where pair = 'usdjpy' and ts_utc < '2024-06-30T23:00:00Z'`)).rows[0].n,
    ).toBeGreaterThan(1000);
  });

  it('ran the spine leakage check and writes the event columns first, in event order', async () => {
    for (const pair of PAIRS) expect(res.manifest.leakage[pair].spine).toEqual({ rowsChecked: 'all', latestBarSample: 200 });
    const cols = await duck.rows<{ column_name: string }>(
      `select column_name from (describe select * from read_parquet('${res.out}/train/eurusd.parquet'))`,
    );
    expect(cols.map((c) => c.column_name).slice(0, 6)).toEqual(['pair', 'event', 'ts', 'signal', 'note', 'ts_utc']);
    const [{ disorder }] = await duck.rows<{ disorder: bigint }>(
      `select count(*) filter (where ts < prev) as disorder from (select ts, lag(ts) over (order by file_row_number) as prev from read_parquet('${res.out}/train/usdjpy.parquet', file_row_number = true))`,
    );
    expect(disorder).toBe(0n);
  });

  it('reads Parquet spines as CSV ones, and refuses rows that are not events', async () => {
    const s = await DuckSession.open({ threads: 1 });
    try {
      const pq = tmpPath('spine.parquet');
      await s.run(`copy (select * from read_csv('${spineFile}', header = true)) to '${pq}' (format parquet)`);
      const a = await loadSpine(s, spineFile, SPINE_RESERVED);
      const fromCsv = await s.rows(`select event, pair, epoch_ms(ts) as ms, signal, note from spine order by event`);
      const b = await loadSpine(s, pq, SPINE_RESERVED);
      const fromPq = await s.rows(`select event, pair, epoch_ms(ts) as ms, signal, note from spine order by event`);
      expect(fromPq).toEqual(fromCsv);
      expect({ ...b, file: '', format: '' }).toEqual({ ...a, file: '', format: '' });
      expect(a.perPair).toEqual({
        eurusd: events.filter((e) => e.pair === 'eurusd').length,
        usdjpy: events.filter((e) => e.pair === 'usdjpy').length,
      });
      const bad = writeTmp('bad-spine.csv', 'pair,ts\neurusd,2024-07-03T10:00:00Z\nxxxyyy,2024-07-03T10:00:00Z\neurusd,not a time\n');
      await expect(loadSpine(s, bad, SPINE_RESERVED)).rejects.toMatchObject({
        code: 'BQX_FILE',
        message: expect.stringMatching(/line 3: unknown pair[\s\S]*line 4: ts is not an instant/),
      });
      const noTs = writeTmp('nots-spine.csv', 'pair,when\neurusd,2024-07-03T10:00:00Z\n');
      await expect(loadSpine(s, noTs, SPINE_RESERVED)).rejects.toMatchObject({
        code: 'BQX_FILE',
        message: expect.stringMatching(/no column ts/),
      });
      const clash = writeTmp('clash-spine.csv', 'pair,ts,split\neurusd,2024-07-03T10:00:00Z,x\n');
      await expect(loadSpine(s, clash, SPINE_RESERVED)).rejects.toMatchObject({
        code: 'BQX_FILE',
        message: expect.stringMatching(/split would clash/),
      });
    } finally {
      s.close();
    }
  });

  it('the same vector from SQL, HTTP and the dataset for the same instant', async () => {
    const at = '2024-07-03T10:00:30Z';
    const row = (await rowsOf('eurusd')).find((r) => r.note === 'half a minute past')!;
    const names = res.featureSet.columns.filter((c) => c.lag === 0).map((c) => c.name);
    const sql = (await t.pool.query(`select bqx.feature_vector('eurusd', $1, $2) as v`, [at, names])).rows[0].v;
    const server = await startServe({
      url: t.url,
      host: '127.0.0.1',
      port: 0,
      token: 'tok',
      insecure: false,
      allowWriter: false,
      role: 'bqx_reader',
      connections: 1,
    });
    try {
      const http = await (
        await fetch(`${server.url}/v1/features/eurusd?at=${at}&features=${names.join(',')}`, { headers: { authorization: 'Bearer tok' } })
      ).json();
      expect(http).toEqual(sql);
      expect(sql.ts_utc).toBe(new Date(Number(row.bar_ms)).toISOString().replace('.000Z', 'Z'));
      expect(Object.keys(sql.features)).toHaveLength(names.length);
      for (const n of names) expect(row[n], n).toBe(sql.features[n]);
      expect(names.filter((n) => row[n] !== null).length).toBeGreaterThan(100);
    } finally {
      await server.stop();
    }
    expect(fs.existsSync(path.join(res.out, 'manifest.json'))).toBe(true);
  });
});
