/**
 * The runner keeps the cross-sectional families current (issue 17; README, "Cross-pair families"): a store
 * fed in steps by `bqx refresh` and runner ticks (new minutes, a pair that falls silent and comes back
 * late, a late gbpusd bar in the middle) ends equal to a clean backfill of the same bars, table by table
 * (currency_strength, cross_returns and every pair's correlation_features bit for bit); the cross
 * watermark is the earliest of the pairs' last bars except a pair more than CARRY_MINUTES behind, a
 * reader's the earlier of its pair's and the cross-section's; the cross unit is one advisory-locked unit.
 * All 28 pairs over six hours (a currency needs all 7 of its pairs for a level).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARRY_MINUTES } from '../../src/features/catalog/currencyStrength.ts';
import { PAIR_NAMES } from '../../src/features/pairs.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { recomputeCrossSection } from '../../src/pipeline/recomputeCrossSection.ts';
import { ALL_PAIRS, crossHorizon, planCrossIncremental } from '../../src/runner/planCross.ts';
import { refreshFamilyIn } from '../../src/runner/refreshFamily.ts';
import { runAndCheck } from '../../src/runner/refreshUntilComplete.ts';
import { runCrossUnit } from '../../src/runner/runCrossUnit.ts';
import { runnerTick } from '../../src/runner/runnerTick.ts';
import { incrementalPlan, rangePlan } from '../../src/runner/runPairs.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { createDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

type Db = Awaited<ReturnType<typeof createDatabase>>;
const FROM = Date.UTC(2024, 6, 1); // Monday 00:00 - 06:00 UTC
const TO = Date.UTC(2024, 6, 1, 6);
const MIN = 60_000;
const FAMS = ['bqx', 'correlation_features'];
const PAIRS = [...PAIR_NAMES];
const CUT = Date.UTC(2024, 6, 1, 5); // the first refresh sees the bars before 05:00
const SILENT = 'audnzd'; // stops at 05:02 in the tick, comes back at the end
const LATE = { pair: 'gbpusd', ts: Date.UTC(2024, 6, 1, 3) }; // held back, then inserted behind the watermarks

const digest = async (pool: pg.Pool, table: string, order: string) =>
  (await pool.query(`select md5(string_agg(x::text, '|' order by ${order})) as h, count(*)::int as n from bqx.${table} x`)).rows[0];
const TABLES: Array<[string, string]> = [
  ['m1', 'pair, ts_utc'],
  ['bqx', 'pair, ts_utc'],
  ['currency_strength', 'currency, ts_utc'],
  ['cross_returns', 'ts_utc'],
  ['correlation_features', 'pair, ts_utc'],
];
const lastBars = async (pool: pg.Pool) =>
  new Map(
    (await pool.query('select pair, max(ts_utc) as last from bqx.m1 group by pair')).rows.map((r) => [
      r.pair as string,
      (r.last as Date).getTime(),
    ]),
  );
/** The cross-section's horizon by the rule, from the pairs' last bars (a plain loop). */
const expectedHorizon = (last: Map<string, number>) => {
  const newest = Math.max(...last.values());
  const live = [...last].filter(([, t]) => t >= newest - CARRY_MINUTES * MIN).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return { horizon: live[0][1], heldBy: live[0][0] };
};
const crossMarks = async (pool: pg.Pool) =>
  new Map(
    (await pool.query('select family, refreshed_through from bqx.cross_watermarks')).rows.map((r) => [
      r.family as string,
      (r.refreshed_through as Date | null)?.getTime() ?? null,
    ]),
  );
/** Per pair, its last bar at or before the horizon: where its reader's watermark stops (min of the two). */
const expectedReaders = async (pool: pg.Pool, horizon: number) =>
  new Map(
    (await pool.query('select pair, max(ts_utc) as last from bqx.m1 where ts_utc <= $1 group by pair', [new Date(horizon)])).rows.map(
      (r) => [r.pair as string, (r.last as Date).getTime()],
    ),
  );
const readerMarks = async (pool: pg.Pool) =>
  new Map(
    (await pool.query(`select pair, refreshed_through from bqx.watermarks where family = 'correlation_features'`)).rows.map((r) => [
      r.pair as string,
      (r.refreshed_through as Date).getTime(),
    ]),
  );
const refresh = (pool: pg.Pool) =>
  runAndCheck(pool, PAIRS, incrementalPlan(FAMS), { concurrency: 2, trigger: 'refresh', checkCompleteness: true });

describe('the runner and the cross-section', () => {
  let fed: Db;
  let clean: Db;
  let file: string;

  beforeAll(async () => {
    file = tmpPath('cross-runner.csv');
    await synthToFile(file, { seed: 31, from: FROM, to: TO, pairs: PAIRS });
    clean = await createDatabase();
    fed = await createDatabase();
    // the clean build: every bar, then one backfill of the range (the three waves)
    await ingestSource(clean.pool, openSource(file));
    const out = await runAndCheck(clean.pool, PAIRS, rangePlan(FAMS, FROM, TO), {
      concurrency: 2,
      trigger: 'backfill',
      checkCompleteness: false,
    });
    expect(out.units.filter((u) => u.status !== 'ok')).toEqual([]);
    // the fed store: the same bars, those to come held back in a side table (inserted later through the
    // triggers, as an ingest would)
    await ingestSource(fed.pool, openSource(file));
    await fed.pool.query('create table public.held as select * from bqx.m1 where ts_utc >= $1 or (pair = $2 and ts_utc = $3)', [
      new Date(CUT),
      LATE.pair,
      new Date(LATE.ts),
    ]);
    await fed.pool.query('delete from bqx.m1 m using public.held h where m.pair = h.pair and m.ts_utc = h.ts_utc');
  }, 900_000);

  afterAll(async () => {
    await fed?.drop();
    await clean?.drop();
  });

  it('runs the cross units after the pair-local ones and before their readers, and sets the watermarks', async () => {
    const out = await refresh(fed.pool);
    expect(out.units.filter((u) => u.status === 'error')).toEqual([]);
    const order = out.units.filter((u) => u.status === 'ok').map((u) => (u.pair === ALL_PAIRS ? 'cross' : u.family));
    const lastOf = (x: string) => order.lastIndexOf(x);
    const firstOf = (x: string) => order.indexOf(x);
    expect(firstOf('cross')).toBeGreaterThan(lastOf('bqx'));
    expect(firstOf('correlation_features')).toBeGreaterThan(lastOf('cross'));
    const cross = out.units.filter((u) => u.pair === ALL_PAIRS && u.status === 'ok').map((u) => u.family);
    expect(cross.sort()).toEqual(['cross_returns', 'currency_strength']);
    const last = await lastBars(fed.pool);
    const { horizon } = expectedHorizon(last);
    expect(Object.fromEntries(await crossMarks(fed.pool))).toEqual({ currency_strength: horizon, cross_returns: horizon });
    expect(await readerMarks(fed.pool)).toEqual(await expectedReaders(fed.pool, horizon));
    // what is left waits for the tail: the spans of the held-back bars' deletion, past every bar there is
    const left = (await fed.pool.query('select min(lower(span)) as lo, count(*)::int as n from bqx.cross_dirty_ranges')).rows[0];
    expect(left.n).toBe(2 * 27);
    expect((left.lo as Date).getTime()).toBe(CUT);
    expect(CUT).toBe(horizon + MIN);
  }, 900_000);

  it('a tick takes new minutes; a pair more than CARRY_MINUTES behind does not hold the cross-section back', async () => {
    await fed.pool.query(
      `insert into bqx.m1 select * from public.held where ts_utc >= $1 and ts_utc < $2 and (pair <> $3 or ts_utc < $4)`,
      [new Date(CUT), new Date(CUT + 10 * MIN), SILENT, new Date(CUT + 3 * MIN)],
    );
    const last = await lastBars(fed.pool);
    const want = expectedHorizon(last);
    expect(want.horizon).toBeGreaterThan(last.get(SILENT)! + CARRY_MINUTES * MIN); // the silent pair is left out
    const h = await fed.pool.connect().then(async (c) => {
      try {
        return await crossHorizon(c);
      } finally {
        c.release();
      }
    });
    expect({ horizon: h.horizon, heldBy: h.heldBy }).toEqual(want);
    const tick = await runnerTick(fed.pool, { pairs: PAIRS, families: FAMS, concurrency: 2, log: () => {}, staleBudgetSeconds: 0 });
    expect(tick.errors).toBe(0);
    expect(Object.fromEntries(await crossMarks(fed.pool))).toEqual({ currency_strength: want.horizon, cross_returns: want.horizon });
    expect(await readerMarks(fed.pool)).toEqual(await expectedReaders(fed.pool, want.horizon));
  }, 900_000);

  it('locks the cross unit as one: a second runner skips it while the first holds it', async () => {
    const holder = await fed.pool.connect();
    try {
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtext('bqx.unit'), hashtext('*/currency_strength'))`);
      const r = await runCrossUnit(
        fed.pool,
        { family: 'currency_strength', from: CUT, to: CUT + MIN, dirtyIds: [], advanceTo: null },
        'runner',
      );
      expect({ status: r.status, reason: r.reason, code: r.code }).toEqual({ status: 'skipped', reason: 'locked', code: 'BQX_LOCKED' });
      await holder.query('rollback');
    } finally {
      holder.release();
    }
  }, 300_000);

  it('late bars (the silent pair back, a gbpusd bar hours behind) leave the store equal to a clean build', async () => {
    // the plan sees the late gbpusd bar as a span of the cross-section and of every pair's correlation family
    await fed.pool.query('insert into bqx.m1 select * from public.held where pair = $1 and ts_utc = $2', [LATE.pair, new Date(LATE.ts)]);
    const spans = (await fed.pool.query('select family, lower(span) as lo from bqx.cross_dirty_ranges')).rows;
    expect(spans.map((s) => [s.family, (s.lo as Date).getTime()]).sort()).toEqual([
      ['cross_returns', LATE.ts],
      ['currency_strength', LATE.ts],
    ]);
    const c = await fed.pool.connect();
    let plan: Awaited<ReturnType<typeof planCrossIncremental>>;
    try {
      plan = await planCrossIncremental(c, ['currency_strength']);
      expect(plan.units.length).toBeGreaterThan(0);
      expect(Math.min(...plan.units.map((u) => u.from))).toBe(LATE.ts);
    } finally {
      c.release();
    }
    // two runners that planned the same unit: the second to take the lock finds it done, not redone
    const late = plan.units.find((u) => u.from === LATE.ts)!;
    const first = await runCrossUnit(fed.pool, late, 'runner');
    const second = await runCrossUnit(fed.pool, late, 'runner');
    expect([first.status, second.status, second.reason]).toEqual(['ok', 'skipped', 'current']);
    const readers = (
      await fed.pool.query(`select count(distinct pair)::int as n from bqx.dirty_ranges where family = 'correlation_features'`)
    ).rows[0].n;
    expect(readers).toBe(28);
    // the rest of the bars, the silent pair's late ones among them
    await fed.pool.query(
      'insert into bqx.m1 select h.* from public.held h where not exists (select 1 from bqx.m1 m where m.pair = h.pair and m.ts_utc = h.ts_utc)',
    );
    const out = await refresh(fed.pool);
    expect(out.units.filter((u) => u.status === 'error')).toEqual([]);
    expect(out.incomplete).toEqual([]);
    for (const [table, order] of TABLES)
      expect(await digest(fed.pool, table, order), table).toEqual(await digest(clean.pool, table, order));
    expect((await fed.pool.query('select count(*)::int as n from bqx.cross_dirty_ranges')).rows[0].n).toBe(0);
    const last = await lastBars(fed.pool);
    expect(Object.fromEntries(await crossMarks(fed.pool))).toEqual({
      currency_strength: expectedHorizon(last).horizon,
      cross_returns: expectedHorizon(last).horizon,
    });
  }, 900_000);
  it('the leakage recompute truncates every pair at t for a reader of the cross-section, and catches a cross-pair look-ahead', async () => {
    const c = await clean.pool.connect();
    const t = new Date(Date.UTC(2024, 6, 1, 4));
    const rowAt = async () =>
      JSON.stringify((await c.query(`select * from bqx.correlation_features where pair = 'eurusd' and ts_utc = $1`, [t])).rows[0]);
    const later = async () =>
      (await c.query('select count(*)::int as n, count(distinct pair)::int as pairs from bqx.m1 where ts_utc > $1', [t])).rows[0];
    let from = new Date(0);
    const recompute = async () => {
      const cross = await recomputeCrossSection(c, 'eurusd', ['correlation_features'], t, from);
      await refreshFamilyIn(c, 'correlation_features', 'eurusd', { from: from.getTime(), to: t.getTime() + MIN });
      return cross;
    };
    try {
      from = (
        await c.query(`select ts_utc from bqx.m1 where pair = 'eurusd' and ts_utc <= $1 order by ts_utc desc offset 100 limit 1`, [t])
      ).rows[0].ts_utc as Date;
      await c.query('begin');
      // the honest definitions: every pair's later bars gone, the row recomputed equal to the stored one
      const stored = await rowAt();
      expect(JSON.parse(stored).corr_base_30).toEqual(expect.any(Number));
      expect((await later()).pairs).toBe(28);
      expect((await recompute()).sort()).toEqual(['cross_returns', 'currency_strength']);
      expect(await later()).toEqual({ n: 0, pairs: 0 });
      expect(await rowAt()).toBe(stored);
      await c.query('rollback');

      // a deliberately look-ahead cross-section: gbpusd's return at m taken from its next bar
      await c.query('begin');
      await c.query('alter function bqx.refresh_cross_returns(timestamptz, timestamptz) rename to refresh_cross_returns_honest');
      await c.query(`create function bqx.refresh_cross_returns(p_from timestamptz, p_to timestamptz) returns bigint language plpgsql as $$
        declare n bigint := bqx.refresh_cross_returns_honest(p_from, p_to);
        begin
          update bqx.cross_returns x set ret_gbpusd =
            (select ln(m.close) from bqx.m1 m where m.pair = 'gbpusd' and m.ts_utc > x.ts_utc order by m.ts_utc limit 1) - ln(x.close_gbpusd)
          where x.ts_utc >= p_from and x.ts_utc < p_to;
          return n;
        end $$`);
      await c.query('select bqx.refresh_cross_returns($1, $2)', [new Date(FROM), new Date(TO)]);
      await refreshFamilyIn(c, 'correlation_features', 'eurusd', { from: FROM, to: TO });
      const leaky = await rowAt();
      await c.query('savepoint own_pair_only');
      // truncating the row's own pair only (the check before Wave 3) passes the leak
      await c.query(`delete from bqx.m1 where pair = 'eurusd' and ts_utc > $1`, [t]);
      await c.query('select bqx.refresh_cross_returns($1, $2)', [from, new Date(t.getTime() + MIN)]);
      await refreshFamilyIn(c, 'correlation_features', 'eurusd', { from: from.getTime(), to: t.getTime() + MIN });
      expect(await rowAt()).toBe(leaky);
      await c.query('rollback to savepoint own_pair_only');
      // every pair truncated: the recomputed row differs, the leak is caught
      await recompute();
      expect(await rowAt()).not.toBe(leaky);
    } finally {
      await c.query('rollback').catch(() => {});
      c.release();
    }
  }, 600_000);
});
