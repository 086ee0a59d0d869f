/**
 * Recomputes the rows computed under an older definition (planStale), in rounds: a round runs the
 * cross-sectional tables' stale units (planCrossStale) the families read, then every pair's plan, the
 * next plans again (a TypeScript family, or a reader of the cross-section, waits for the rows it reads),
 * until nothing is stale or a round changes nothing. With a budget (a runner tick, after its new bars) no unit starts
 * once the budget is spent: the rest waits for the next tick. Each unit is its own transaction, so a
 * catch-up killed at any point resumes from what it had committed.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { withClient } from '../db/tx.ts';
import { crossFamiliesRead } from './planCross.ts';
import { planCrossStale } from './planCrossStale.ts';
import type { Blocked } from './planIncremental.ts';
import { planStale } from './planStale.ts';
import { runCrossUnit } from './runCrossUnit.ts';
import { type Planner, type RunOptions, runPairs } from './runPairs.ts';
import type { UnitResult } from './runUnit.ts';

export const stalePlan = (families: readonly string[]): Planner =>
  Object.assign((c: pg.ClientBase, pair: string) => planStale(c, pair, families), { families });

/** The seconds a runner tick spends on stale rows (bqx.settings definition_tick_seconds). */
export async function tickBudgetSeconds(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ days: number; tick_seconds: number }>(loadSql(import.meta.url, 'sql/definition_unit_days.sql'))).rows[0]
    .tick_seconds;
}

export async function catchUpDefinitions(
  pool: pg.Pool,
  pairs: readonly string[],
  families: readonly string[],
  o: RunOptions & { budgetSeconds?: number },
): Promise<{ units: UnitResult[]; blocked: Blocked[] }> {
  const deadline = o.budgetSeconds === undefined ? Infinity : performance.now() + o.budgetSeconds * 1000;
  const shouldStop = () => (o.shouldStop?.() ?? false) || performance.now() > deadline;
  const units: UnitResult[] = [];
  let blocked: Blocked[] = [];
  let previous = '';
  for (;;) {
    const round: Blocked[] = [];
    // the cross-sectional tables the families read first: their readers wait for them (planStale)
    const ran: UnitResult[] = [];
    for (const u of await withClient(pool, (c) => planCrossStale(c, crossFamiliesRead(families)))) {
      if (shouldStop()) break;
      const r = await runCrossUnit(pool, u, o.trigger);
      ran.push(r);
      o.onUnit?.(r);
    }
    if (!shouldStop())
      ran.push(...(await runPairs(pool, pairs, stalePlan(families), { ...o, shouldStop, onBlocked: (b) => round.push(...b) })));
    blocked = round;
    units.push(...ran);
    const key = JSON.stringify(ran.map((u) => [u.pair, u.family, u.from, u.to]));
    // done, stopped, nothing completed, or the same plan again (a unit keeps reading stale rows): stop
    if (!ran.length || shouldStop() || !ran.some((u) => u.status === 'ok') || key === previous) break;
    previous = key;
  }
  if (blocked.length) o.onBlocked?.(blocked);
  return { units, blocked };
}
