/**
 * The worker pool of `bqx refresh` (incremental), `bqx backfill` and `bqx runner`: pairs are shared out to
 * at most `concurrency` workers, each on its own connection; within a pair the units run in dependency
 * order (a pair's families read each other, different pairs never do). The pool never asks for more
 * connections than the server has free. A unit that fails or is skipped (locked) is recorded, and the
 * pair's later units that read it are skipped and reported as such (status skipped, reason dependency);
 * other pairs carry on. A pair whose plan cannot be made (the connection died) is reported as a failed
 * unit of every family it would have planned.
 */
import type pg from 'pg';
import { BqxError, fromPgError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { withClient } from '../db/tx.ts';
import { family as familyDef } from '../features/catalog/index.ts';
import type { BackfillRange } from './BackfillRange.ts';
import { type CrossPlan, crossFamiliesRead, planCrossIncremental, planCrossRange, readsCross } from './planCross.ts';
import { type Blocked, type Plan, planPair, planRange } from './planIncremental.ts';
import { runCrossUnit } from './runCrossUnit.ts';
import { recordSkipped, runUnit, type Trigger, type UnitResult } from './runUnit.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface RunOptions {
  concurrency: number;
  trigger: Trigger;
  /** Called after every unit (progress bars, JSON logs). */
  onUnit?: (r: UnitResult) => void;
  /** Checked before every unit: a stopping runner finishes the unit in flight and starts no other. */
  shouldStop?: () => boolean;
  /** Called with the families each pair's plan left out (backoff, or reading one in backoff). */
  onBlocked?: (b: Blocked[]) => void;
}

export async function connectionBudget(pool: pg.Pool, wanted: number): Promise<number> {
  const free = (await pool.query<{ free: number }>(sql('connection_budget'))).rows[0].free;
  return Math.max(1, Math.min(wanted, free));
}

export type Planner = ((c: pg.ClientBase, pair: string) => Promise<Plan>) & {
  families: readonly string[];
  /** The same plan over fewer families (a wave). */
  subset?: (families: readonly string[]) => Planner;
  /** The units of the cross-sectional families (planCross.ts). */
  planCross?: (c: pg.ClientBase, families: readonly string[]) => Promise<CrossPlan>;
};

/**
 * Runs the units each pair's planner yields; returns every unit's result (skipped dependents included).
 * With families that read the cross-section, in three waves (README, "Cross-pair families"): the
 * pair-local families of every pair, then the cross units (a barrier: every pair's bars of the range are
 * in and computed), then the families that read them. A cross unit that failed or was locked leaves
 * their units skipped (dependency).
 */
export async function runPairs(pool: pg.Pool, pairs: readonly string[], plan: Planner, o: RunOptions): Promise<UnitResult[]> {
  const readers = plan.families.filter(readsCross);
  if (!readers.length || !plan.subset || !plan.planCross) return runWave(pool, pairs, plan, o, new Map());
  const local = plan.families.filter((f) => !readsCross(f));
  const out = local.length ? await runWave(pool, pairs, plan.subset(local), o, new Map()) : [];
  if (o.shouldStop?.()) return out;
  const crossPlan = await withClient(pool, (c) => plan.planCross!(c, crossFamiliesRead(readers)));
  if (crossPlan.blocked.length) o.onBlocked?.(crossPlan.blocked);
  const failed = new Map<string, string>();
  for (const b of crossPlan.blocked) failed.set(b.family, `is left out (${b.reason})`);
  // The cross families read bqx.m1 alone, never each other: each runs its units in order (its watermark
  // advances month by month) beside the others, as many at once as the pool's workers.
  const chains = new Map<string, CrossPlan['units']>();
  for (const u of crossPlan.units) chains.set(u.family, [...(chains.get(u.family) ?? []), u]);
  const chain = async (units: CrossPlan['units']) => {
    for (const u of units) {
      if (o.shouldStop?.()) return;
      const r = await runCrossUnit(pool, u, o.trigger);
      if (r.status === 'error' || (r.status === 'skipped' && r.reason === 'locked')) {
        failed.set(u.family, r.status === 'error' ? `failed (${r.code})` : 'was locked by another session');
      }
      out.push(r);
      o.onUnit?.(r);
    }
  };
  const queue = [...chains.values()];
  const workers = chains.size > 1 ? await connectionBudget(pool, Math.min(o.concurrency, chains.size)) : 1;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await chain(next);
    }),
  );
  if (o.shouldStop?.()) return out;
  out.push(...(await runWave(pool, pairs, plan.subset(readers), o, failed)));
  return out;
}

/** One wave: the pool of pair workers. `upstream` seeds the families already failed (the cross units). */
async function runWave(
  pool: pg.Pool,
  pairs: readonly string[],
  plan: Planner,
  o: RunOptions,
  upstream: ReadonlyMap<string, string>,
): Promise<UnitResult[]> {
  const out: UnitResult[] = [];
  const queue = [...pairs];
  const workers = Math.min(await connectionBudget(pool, o.concurrency), Math.max(1, pairs.length));
  const push = (r: UnitResult) => {
    out.push(r);
    o.onUnit?.(r);
  };
  const worker = async () => {
    for (let pair = queue.shift(); pair !== undefined; pair = queue.shift()) {
      if (o.shouldStop?.()) return;
      let p: Plan;
      try {
        p = await withClient(pool, (c) => plan(c, pair));
      } catch (err) {
        const e = fromPgError(err);
        if (!(e instanceof BqxError)) throw e;
        for (const family of plan.families)
          push({
            pair,
            family,
            from: 0,
            to: 0,
            status: 'error',
            rows: 0,
            partitions: 0,
            seconds: 0,
            error: `${e.code}: planning ${pair}: ${e.message}`,
            code: e.code,
          });
        continue;
      }
      if (p.blocked.length) o.onBlocked?.(p.blocked);
      const failed = new Map<string, string>(upstream);
      for (const u of p.units) {
        if (o.shouldStop?.()) return;
        const upstream = familyDef(u.family).dependsOn.find((d) => failed.has(d));
        if (upstream) {
          failed.set(u.family, failed.get(upstream)!);
          push(await recordSkipped(pool, u, o.trigger, 'dependency', `not run: it reads ${upstream}, which ${failed.get(upstream)}`));
          continue;
        }
        const r = await runUnit(pool, u, o.trigger);
        if (r.status === 'error' || (r.status === 'skipped' && r.reason === 'locked')) {
          failed.set(u.family, r.status === 'error' ? `failed (${r.code})` : 'was locked by another session');
        }
        push(r);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return out;
}

export const incrementalPlan = (families: readonly string[]): Planner =>
  Object.assign((c: pg.ClientBase, pair: string) => planPair(c, pair, families), {
    families,
    subset: incrementalPlan,
    planCross: (c: pg.ClientBase, cross: readonly string[]) => planCrossIncremental(c, cross),
  });

/** A backfill's plan: every family over [from, to), in dependency order; `whole`: a month of a longer backfill. */
export const rangePlan = (families: readonly string[], from: number, to: number, whole?: BackfillRange): Planner =>
  Object.assign((c: pg.ClientBase, pair: string) => planRange(c, pair, families, from, to, whole), {
    families,
    subset: (f: readonly string[]) => rangePlan(f, from, to, whole),
    planCross: (c: pg.ClientBase, cross: readonly string[]) => planCrossRange(c, cross, from, to, whole),
  });
