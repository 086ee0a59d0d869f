/**
 * The worker pool of `bqx refresh` (incremental), `bqx backfill` and `bqx runner`: pairs are shared out to
 * at most `concurrency` workers, each on its own connection; within a pair the units run in dependency
 * order (a pair's families read each other, different pairs never do). The pool never asks for more
 * connections than the server has free. A unit that fails is recorded and the pair's later units that read
 * it are skipped; other pairs carry on.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { withClient } from '../db/tx.ts';
import { family as familyDef } from '../features/catalog/index.ts';
import { planIncremental } from './planIncremental.ts';
import { runUnit, type Trigger, type Unit, type UnitResult } from './runUnit.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface RunOptions {
  concurrency: number;
  trigger: Trigger;
  /** Called after every unit (progress bars, JSON logs). */
  onUnit?: (r: UnitResult) => void;
  /** Checked before every unit: a stopping runner finishes the unit in flight and starts no other. */
  shouldStop?: () => boolean;
}

export async function connectionBudget(pool: pg.Pool, wanted: number): Promise<number> {
  const free = (await pool.query(sql('connection_budget'))).rows[0].free as number;
  return Math.max(1, Math.min(wanted, free));
}

/** Runs the units each pair's planner yields; returns every unit's result. */
export async function runPairs(
  pool: pg.Pool,
  pairs: readonly string[],
  plan: (c: pg.ClientBase, pair: string) => Promise<Unit[]>,
  o: RunOptions,
): Promise<UnitResult[]> {
  const out: UnitResult[] = [];
  const queue = [...pairs];
  const workers = Math.min(await connectionBudget(pool, o.concurrency), Math.max(1, pairs.length));
  const worker = async () => {
    for (let pair = queue.shift(); pair !== undefined; pair = queue.shift()) {
      if (o.shouldStop?.()) return;
      const units = await withClient(pool, (c) => plan(c, pair));
      const failed = new Set<string>();
      for (const u of units) {
        if (o.shouldStop?.()) return;
        if (familyDef(u.family).dependsOn.some((d) => failed.has(d))) {
          failed.add(u.family);
          continue;
        }
        const r = await runUnit(pool, u, o.trigger);
        if (r.status !== 'ok') failed.add(u.family);
        out.push(r);
        o.onUnit?.(r);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return out;
}

export const incrementalPlan = (families: readonly string[]) => (c: pg.ClientBase, pair: string) => planIncremental(c, pair, families);

/** A backfill's plan: every family over [from, to), in dependency order. */
export const rangePlan = (families: readonly string[], from: number, to: number) => async (_c: pg.ClientBase, pair: string): Promise<Unit[]> =>
  families.map((family) => ({ pair, family, from, to }));
