/**
 * Monitoring (issue 19): bqx.feature_stats against an independent computation from the raw feature
 * rows (two-pass moments, quantile edges, bin counts), kept incrementally by the runner (an appending
 * tick and a late bar end where a recount from scratch ends), and bqx drift's PSI and KS against the same
 * statistics computed from raw values.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SQL_DIR } from '../../src/db/paths.ts';
import { family } from '../../src/features/catalog/index.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { drift } from '../../src/monitor/drift.ts';
import { monitorStatus } from '../../src/monitor/monitorStatus.ts';
import { countOnEdges, psiKs, verdict } from '../../src/monitor/psi.ts';
import { incrementalPlan, rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

const PAIRS = ['eurusd', 'usdjpy'];
const FROM = Date.UTC(2024, 6, 22);
const TO = Date.UTC(2024, 7, 6);
const FAMS = ['bollinger_rate', 'time_features', 'technical_rate'];
const LATE = '2024-07-25T10:17:00';
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');
const MONTHS = ['2024-07-01', '2024-08-01'];

interface Stat {
  pair: string;
  family: string;
  column_name: string;
  month: string;
  rows: number;
  nulls: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  hist: number[] | null;
  computed_at: Date;
}

/** Population moments, two passes, from the raw values. */
function moments(xs: number[]) {
  if (!xs.length) return { mean: null, std: null, min: null, max: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(v), min: Math.min(...xs), max: Math.max(...xs) };
}

/** percentile_disc's definition: the first value whose cumulative position reaches p (1-based ceil(p n)). */
function edgesOf(xs: number[]): number[] {
  const s = [...xs].sort((a, b) => a - b);
  const q = Array.from({ length: 31 }, (_, k) => s[Math.max(1, Math.ceil(((k + 1) / 32) * s.length)) - 1]);
  return [...new Set(q)].sort((a, b) => a - b);
}

/** The two-sample KS statistic of the raw values (exact, over every value). */
function exactKs(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0,
    j = 0,
    d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

const close = (a: number | null, b: number | null, rel = 1e-9) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

describe('feature statistics and drift', () => {
  const t = useTestDatabase();
  let tail: string;
  let late: string;

  const stats = async (): Promise<Stat[]> =>
    (
      await t.pool.query(
        `select pair, family, column_name, to_char(month, 'YYYY-MM-DD') as month, rows::int, nulls::int, mean, std, min, max, hist::float8[] as hist, computed_at
     from bqx.feature_stats order by pair, family, column_name, month`,
      )
    ).rows;
  /** A column's values in a month; sampled: only the bars of every 8th UTC minute (the histograms' subset). */
  const raw = async (fam: string, pair: string, month: string, col: string, sampled = false): Promise<Array<number | null>> =>
    (
      await t.pool.query(
        `select ts_utc, ${JSON.stringify(col)} as x from bqx.${fam} where pair = $1 and ts_utc >= $2::date and ts_utc < ($2::date + interval '1 month') order by ts_utc`,
        [pair, month],
      )
    ).rows
      .filter((r) => !sampled || (r.ts_utc.getTime() / 60_000) % 8 === 0)
      .map((r) => r.x);
  const edges = async () =>
    new Map(
      (
        await t.pool.query(
          `select pair, family, column_name, edges, to_char(reference_month, 'YYYY-MM-DD') as ref from bqx.feature_stats_edges`,
        )
      ).rows.map((r) => [`${r.pair}.${r.family}.${r.column_name}`, { edges: r.edges as number[], ref: r.ref as string }]),
    );

  beforeAll(async () => {
    const all = tmpPath('monitor-all.csv');
    await synthToFile(all, { seed: 19, from: FROM, to: TO, pairs: PAIRS });
    const lines = fs.readFileSync(all, 'utf8').trimEnd().split('\n');
    const cut = new Date(TO - 90 * 60_000).toISOString();
    const isLate = (l: string) => l.startsWith('eurusd,') && l.split(',')[1].startsWith(LATE);
    const isTail = (l: string) => l.split(',')[1] >= cut;
    const write = (name: string, rows: string[]) => {
      const p = tmpPath(name);
      fs.writeFileSync(p, [lines[0], ...rows].join('\n') + '\n');
      return p;
    };
    const body = lines.slice(1);
    expect(body.filter(isLate)).toHaveLength(1);
    const main = write(
      'monitor-main.csv',
      body.filter((l) => !isLate(l) && !isTail(l)),
    );
    tail = write('monitor-tail.csv', body.filter(isTail));
    late = write('monitor-late.csv', body.filter(isLate));
    await ingestSource(t.pool, openSource(main));
    const res = await runPairs(t.pool, PAIRS, rangePlan(FAMS, FROM, TO), { concurrency: 2, trigger: 'backfill' });
    expect(res.filter((r) => r.status !== 'ok')).toEqual([]);
  }, 600_000);

  /**
   * Every statistics row against the raw rows of its pair, family and month, recomputed here from
   * scratch (two-pass moments, bin counts of the sampled bars on the column's edges, and with
   * edgesFromRows the edges themselves as the reference month's quantiles: true until that month's rows
   * change, as edges never move): the mismatches, none when the kept statistics are what the rows give.
   */
  const againstRaw = async (edgesFromRows: boolean): Promise<string[]> => {
    const s = await stats();
    const e = await edges();
    const expected = PAIRS.length * MONTHS.length * FAMS.reduce((n, f) => n + family(f).columns.length, 0);
    expect(s).toHaveLength(expected);
    const months = new Map<string, Array<Record<string, unknown>>>();
    const monthRows = async (fam: string, pair: string, month: string) => {
      const key = `${fam}.${pair}.${month}`;
      if (!months.has(key)) {
        months.set(
          key,
          (
            await t.pool.query(
              `select * from bqx.${fam} where pair = $1 and ts_utc >= $2::date and ts_utc < ($2::date + interval '1 month') order by ts_utc`,
              [pair, month],
            )
          ).rows,
        );
      }
      return months.get(key)!;
    };
    const bad: string[] = [];
    for (const r of s) {
      const rows = await monthRows(r.family, r.pair, r.month);
      const xsAll = rows.map((x) => x[r.column_name] as number | null);
      const xs = xsAll.filter((x): x is number => x !== null);
      // the histograms' subset: the bars of every 8th UTC minute
      const sample = rows
        .filter((x) => ((x.ts_utc as Date).getTime() / 60_000) % 8 === 0)
        .map((x) => x[r.column_name] as number | null)
        .filter((x): x is number => x !== null);
      const m = moments(xs);
      const key = `${r.pair}.${r.family}.${r.column_name}`;
      const edge = e.get(key);
      if (r.rows !== xsAll.length || r.nulls !== xsAll.length - xs.length) bad.push(`${key} ${r.month}: rows ${r.rows}/${r.nulls}`);
      if (!close(r.mean, m.mean) || !close(r.std, m.std) || r.min !== m.min || r.max !== m.max)
        bad.push(`${key} ${r.month}: moments ${JSON.stringify([r.mean, r.std, r.min, r.max])} vs ${JSON.stringify(m)}`);
      if (sample.length >= 100 || edge) {
        // edges from July (the first month computed), the same for August
        if (edge?.ref !== '2024-07-01') {
          bad.push(`${key}: edges from ${edge?.ref}`);
          continue;
        }
        // (-0 and 0 sort equal; either may be the quantile)
        if (
          edgesFromRows &&
          r.month === edge.ref &&
          JSON.stringify(edge.edges.map((v) => v + 0)) !== JSON.stringify(edgesOf(sample).map((v) => v + 0))
        )
          bad.push(`${key}: edges`);
        if (JSON.stringify(r.hist) !== JSON.stringify(countOnEdges(sample, edge.edges))) bad.push(`${key} ${r.month}: hist`);
      } else if (r.hist !== null) bad.push(`${key} ${r.month}: a histogram without edges`);
    }
    return bad;
  };

  it("holds every column's rows, null share, moments, extremes and histogram of each month, as the raw rows give them", async () => {
    expect(await againstRaw(true)).toEqual([]);
    const e = await edges();
    // a flag has one bin per value it took; a continuous column 32 bins
    expect(e.get('eurusd.time_features.is_tokyo')?.edges.length ?? 0).toBeLessThanOrEqual(2);
    expect(e.get('eurusd.bollinger_rate.bb_percent_b_20')?.edges).toHaveLength(31);
  }, 600_000);

  it('keeps the statistics incrementally: an appending tick and a late bar end where a recount ends', async () => {
    const before = await t.pool.query(`select count(*)::int as n, max(computed_at) as t from bqx.feature_stats where month = '2024-07-01'`);
    await ingestSource(t.pool, openSource(tail));
    const tick = await runPairs(t.pool, PAIRS, incrementalPlan(FAMS), { concurrency: 2, trigger: 'runner' });
    expect(tick.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(tick.every((r) => new Date(r.from).getUTCMonth() === 7)).toBe(true);
    // the tick touched August only: July's rows were left alone
    const july = await t.pool.query(`select count(*)::int as n, max(computed_at) as t from bqx.feature_stats where month = '2024-07-01'`);
    expect(july.rows[0]).toEqual(before.rows[0]);
    await ingestSource(t.pool, openSource(late));
    const again = await runPairs(t.pool, PAIRS, incrementalPlan(FAMS), { concurrency: 2, trigger: 'runner' });
    expect(again.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(again.some((r) => r.pair === 'eurusd')).toBe(true);

    // what the tick merged in and the late bar's recount left are what the rows give (July's rows after
    // the late bar are new values: the edges fixed from the old ones stay)
    expect(await againstRaw(false)).toEqual([]);

    const kept = await stats();
    await t.pool.query('delete from bqx.feature_stats');
    for (const p of PAIRS)
      for (const f of FAMS) await t.pool.query('select bqx.feature_stats_refresh($1, $2, $3, $4)', [p, f, new Date(FROM), new Date(TO)]);
    const recount = await stats();
    expect(kept.length).toBe(recount.length);
    const bad: string[] = [];
    kept.forEach((k, i) => {
      const r = recount[i];
      const key = `${k.pair}.${k.family}.${k.column_name} ${k.month}`;
      if (
        k.rows !== r.rows ||
        k.nulls !== r.nulls ||
        k.min !== r.min ||
        k.max !== r.max ||
        JSON.stringify(k.hist) !== JSON.stringify(r.hist)
      )
        bad.push(`${key}: counts`);
      if (!close(k.mean, r.mean, 1e-12) || !close(k.std, r.std, 1e-9)) bad.push(`${key}: ${k.mean} ${k.std} vs ${r.mean} ${r.std}`);
    });
    expect(bad).toEqual([]);
    // the late bar is counted
    const n = (
      await t.pool.query(
        `select rows::int from bqx.feature_stats where pair = 'eurusd' and family = 'time_features' and month = '2024-07-01' limit 1`,
      )
    ).rows[0].rows;
    expect(n).toBe(
      (
        await t.pool.query(
          `select count(*)::int as n from bqx.m1 where pair = 'eurusd' and ts_utc >= '2024-07-01' and ts_utc < '2024-08-01'`,
        )
      ).rows[0].n,
    );
  }, 600_000);

  it("a re-run of a range starting mid-month (a backfill again, as a stale definition's catch-up runs it) recounts the months it touches from the rows", async () => {
    const before = await stats();
    const res = await runPairs(t.pool, PAIRS, rangePlan(FAMS, Date.UTC(2024, 6, 28, 13, 7), Date.UTC(2024, 7, 2)), {
      concurrency: 2,
      trigger: 'backfill',
    });
    expect(res.filter((r) => r.status !== 'ok')).toEqual([]);
    // the same rows (a recomputed window's values may differ in their last digits: a later warm-up start)
    const after = await stats();
    expect(after.map((r) => [r.pair, r.family, r.column_name, r.month, r.rows])).toEqual(
      before.map((r) => [r.pair, r.family, r.column_name, r.month, r.rows]),
    );
    expect(after.some((r, i) => r.computed_at.getTime() !== before[i].computed_at.getTime())).toBe(true);
    expect(await againstRaw(false)).toEqual([]);
  }, 600_000);

  it('bqx drift: PSI and KS per feature as the raw values give them on the same bins, ranked, with verdicts', async () => {
    const month = { from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 7, 1) };
    const next = { from: Date.UTC(2024, 7, 1), to: Date.UTC(2024, 8, 1) };
    const rows = await drift(t.pool, { baseline: month, against: next, pairs: PAIRS });
    expect(rows.length).toBeGreaterThan(100);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].psi).toBeGreaterThanOrEqual(rows[i].psi);
    const e = await edges();
    let worst = 0;
    for (const r of rows.filter((_, i) => i % 7 === 0)) {
      const key = `${r.pair}.${r.family}.${r.column}`;
      // the histograms hold every 8th minute's bars: PSI and KS are those of that sample's raw values
      const a = (await raw(r.family, r.pair, MONTHS[0], r.column, true)).filter((x): x is number => x !== null);
      const b = (await raw(r.family, r.pair, MONTHS[1], r.column, true)).filter((x): x is number => x !== null);
      const ha = countOnEdges(a, e.get(key)!.edges);
      const hb = countOnEdges(b, e.get(key)!.edges);
      // PSI from raw values on the same bins, written out independently of psiKs
      const fl = (c: number, n: number) => Math.max(c / n, 1e-4);
      const psi = ha.reduce(
        (s, _, i) => s + (fl(hb[i], b.length) - fl(ha[i], a.length)) * Math.log(fl(hb[i], b.length) / fl(ha[i], a.length)),
        0,
      );
      expect(r.psi, key).toBeCloseTo(psi, 10);
      expect(r.verdict).toBe(verdict(psi));
      // the binned KS is the exact KS at the edges: never above it, short of it by at most one bin's share
      const ks = exactKs(a, b);
      const resolution = Math.max(...ha.map((c) => c / a.length), ...hb.map((c) => c / b.length));
      expect(r.ks, key).toBeLessThanOrEqual(ks + 1e-12);
      expect(ks - r.ks, key).toBeLessThanOrEqual(resolution + 1e-12);
      worst = Math.max(worst, ks - r.ks);
    }
    expect(psiKs([10, 0, 5], [10, 0, 5])).toEqual({ psi: 0, ks: 0 });
  }, 600_000);

  it('bqx drift --json prints the ranked array and exits 0 with findings', () => {
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'drift',
        '--baseline',
        '2024-07',
        '--against',
        '2024-08',
        '--pairs',
        'eurusd',
        '--family',
        'bollinger_rate',
        '--json',
        '--database-url',
        t.url,
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(family('bollinger_rate').columns.length);
    for (const x of out) {
      expect(Object.keys(x).sort()).toEqual(['column', 'family', 'ks', 'pair', 'psi', 'verdict']);
      expect(x.pair).toBe('eurusd');
    }
    const bad = spawnSync(process.execPath, [BIN, 'drift', '--baseline', '2024-07-15', '--against', '2024-08', '--database-url', t.url], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--baseline .* is not a month/);
  }, 600_000);

  it("status and verify's checks raise the data-quality alerts: a NULL share that jumps, a column gone constant, a pair short of bars", async () => {
    const check = (name: string) => t.pool.query(fs.readFileSync(path.join(SQL_DIR, 'checks', `${name}.sql`), 'utf8')).then((r) => r.rows);
    for (const c of ['feature_stats_kept', 'feature_stats_null_jump', 'feature_stats_gone_constant', 'feature_stats_bar_count'])
      expect(await check(c), c).toEqual([]);
    expect((await monitorStatus(t.pool)).alerts).toEqual([]);
    // a broken August for usdjpy: one column lost its values, one froze, and a third of the bars are gone
    await t.pool.query(
      `update bqx.bollinger_rate set bb_upper_20 = null where pair = 'usdjpy' and ts_utc >= '2024-08-01' and ts_utc < '2024-08-02 12:00'`,
    );
    await t.pool.query(`update bqx.bollinger_rate set bb_bandwidth_50 = 0.001 where pair = 'usdjpy' and ts_utc >= '2024-08-01'`);
    for (const f of FAMS) await t.pool.query(`delete from bqx.${f} where pair = 'usdjpy' and ts_utc >= '2024-08-05'`);
    for (const f of FAMS)
      await t.pool.query('select bqx.feature_stats_refresh($1, $2, $3, $4)', ['usdjpy', f, new Date(Date.UTC(2024, 7, 1)), new Date(TO)]);
    expect((await check('feature_stats_null_jump')).map((r) => [r.pair, r.column_name])).toEqual([['usdjpy', 'bb_upper_20']]);
    expect((await check('feature_stats_gone_constant')).map((r) => [r.pair, r.column_name, r.value])).toEqual([
      ['usdjpy', 'bb_bandwidth_50', 0.001],
    ]);
    const low = await check('feature_stats_bar_count');
    expect(low.map((r) => r.pair)).toEqual(['usdjpy']);
    const m = await monitorStatus(t.pool);
    expect(m.alerts.map((a) => a.alert).sort()).toEqual(['bar_count_low', 'gone_constant', 'null_share_jump']);
    expect(m.drift).toMatchObject({ baseline: '2024-07', against: '2024-08' });
    expect(m.drift!.top.every((r) => r.verdict === 'drift')).toBe(true);
    expect(m.drift!.top.some((r) => r.pair === 'usdjpy' && r.column === 'bb_bandwidth_50')).toBe(true);
  }, 600_000);
  it('rows a refresh wrote without the statistics send the month to a recount: after the newest bar counted (the tick probes for them) or over counted rows (bqx.refresh_prepare marks the month)', async () => {
    const aug = (q: string) =>
      t.pool
        .query(
          `select count(*)::int as n, min(rows)::int as rows, max(through) as through from bqx.feature_stats where pair = 'eurusd' and family = 'time_features' and month = '2024-08-01' ${q}`,
        )
        .then((r) => r.rows[0]);
    const more = tmpPath('monitor-more.csv');
    await synthToFile(more, { seed: 23, from: TO, to: TO + 30 * 60_000, pairs: ['eurusd'] });
    await ingestSource(t.pool, openSource(more));
    const before = await aug('');
    expect(before.through.getTime()).toBeLessThan(TO);
    // the first 15 new minutes written by the family's function alone (no unit, no statistics), then a
    // unit of the next 15: an append would miss the first 15 (they lie between `through` and its range)
    await t.pool.query('select bqx.refresh_time_features($1, $2, $3)', ['eurusd', new Date(TO), new Date(TO + 15 * 60_000)]);
    expect(await aug('')).toEqual(before);
    const unit = () =>
      runPairs(t.pool, ['eurusd'], rangePlan(['time_features'], TO + 15 * 60_000, TO + 30 * 60_000), {
        concurrency: 1,
        trigger: 'backfill',
      });
    expect((await unit()).filter((r) => r.status !== 'ok')).toEqual([]);
    const rows = (
      await t.pool.query(
        `select count(*)::int as n from bqx.time_features where pair = 'eurusd' and ts_utc >= '2024-08-01' and ts_utc < '2024-09-01'`,
      )
    ).rows[0].n;
    expect((await aug('')).rows).toBe(rows);
    expect(await againstRaw(false)).toEqual([]);
    // counted rows rewritten without the statistics: the month's statistics stay, marked for a recount
    // (no `through`), not merged into
    await t.pool.query('select bqx.refresh_time_features($1, $2, $3)', [
      'eurusd',
      new Date(Date.UTC(2024, 7, 2)),
      new Date(Date.UTC(2024, 7, 2, 1)),
    ]);
    expect(await aug('and through is not null')).toMatchObject({ n: 0 });
    expect((await aug('')).n).toBe(before.n);
    expect((await unit()).filter((r) => r.status !== 'ok')).toEqual([]);
    expect((await aug('')).rows).toBe(rows);
    expect(await againstRaw(false)).toEqual([]);
  }, 600_000);
});
