/**
 * What `bqx refresh` and `bqx backfill` run and how they end: the units, then (incremental refresh) the
 * completeness check (bqx.feature_completeness: bars of bqx.m1 without their row in a family, per pair,
 * family and month). Incomplete months found there become dirty spans of the family and of the families
 * that read it, and are planned once more, so a hole the dirty spans do not know about (a store from
 * before them, rows deleted by hand) heals on the next refresh. A run that did not complete every unit,
 * or leaves bars without rows, ends with a typed error listing what is missing: BQX_LOCKED (exit 7)
 * when a lock is the cause, else the failed units' own code (BQX_DB, exit 6, for database errors).
 */
import type pg from 'pg';
import { BqxError, type BqxErrorCode } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { catchUpDefinitions } from './catchUpDefinitions.ts';
import type { Blocked } from './planIncremental.ts';
import { type Planner, type RunOptions, runPairs } from './runPairs.ts';
import type { UnitResult } from './runUnit.ts';
import { type StaleRows, staleRows } from './staleRows.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface Incomplete {
  pair: string;
  family: string;
  month: string;
  m1_rows: number;
  feature_rows: number;
  missing: number;
}

export interface RunOutcome {
  units: UnitResult[];
  blocked: Blocked[];
  /** After the run: (pair, family, month)s whose bars lack rows (incremental refresh only; else null). */
  incomplete: Incomplete[] | null;
  /** After the run: rows still computed under an older definition (incremental refresh only; else null). */
  stale?: StaleRows[] | null;
}

/** The completeness check for these pairs and families (null: all). */
export async function completeness(
  pool: pg.Pool,
  pairs: readonly string[] | null,
  families: readonly string[] | null,
): Promise<Incomplete[]> {
  return (
    await pool.query<{ pair: string; family: string; month: Date; m1_rows: number; feature_rows: number; missing: number }>(
      sql('completeness'),
      [pairs, families],
    )
  ).rows.map((r) => ({
    pair: r.pair,
    family: r.family,
    month: r.month.toISOString().slice(0, 7),
    m1_rows: Number(r.m1_rows),
    feature_rows: Number(r.feature_rows),
    missing: Number(r.missing),
  }));
}

/** Turns incomplete months into dirty spans (of the family and its readers); returns how many were incomplete. */
export async function markIncomplete(pool: pg.Pool, pairs: readonly string[] | null, families: readonly string[] | null): Promise<number> {
  return (await pool.query<{ incomplete: number; marked: number }>(sql('mark_incomplete'), [pairs, families])).rows[0].incomplete;
}

/**
 * Incremental (checkCompleteness): new bars and dirty spans first, the completeness check, then the rows
 * of older definitions (catchUpDefinitions, newest first), so a refresh ends with the store current.
 */
export async function runAndCheck(
  pool: pg.Pool,
  pairs: readonly string[],
  plan: Planner,
  o: RunOptions & { checkCompleteness: boolean },
): Promise<RunOutcome> {
  const blocked: Blocked[] = [];
  const onBlocked = (b: Blocked[]) => {
    blocked.push(...b);
    o.onBlocked?.(b);
  };
  const units = await runPairs(pool, pairs, plan, { ...o, onBlocked });
  if (!o.checkCompleteness) return { units, blocked, incomplete: null };
  const out = await completeAndCheck(pool, pairs, plan, o, units, blocked, onBlocked);
  if (o.shouldStop?.()) return { ...out, stale: null };
  const caught = await catchUpDefinitions(pool, pairs, plan.families, { ...o, onBlocked: (b) => out.blocked.push(...b) });
  return { ...out, units: [...out.units, ...caught.units], stale: await staleRows(pool, { pairs, families: plan.families, cross: true }) };
}

async function completeAndCheck(
  pool: pg.Pool,
  pairs: readonly string[],
  plan: Planner,
  o: RunOptions,
  first: UnitResult[],
  blocked: Blocked[],
  onBlocked: (b: Blocked[]) => void,
): Promise<RunOutcome> {
  let units = first;
  if ((await markIncomplete(pool, pairs, plan.families)) > 0 && !o.shouldStop?.()) {
    blocked.length = 0;
    const again = await runPairs(pool, pairs, plan, { ...o, onBlocked });
    // a unit that failed or was locked the first time and completed the second time is no failure
    const key = (u: UnitResult) => `${u.pair}/${u.family}`;
    const fixed = new Set(again.filter((u) => u.status === 'ok').map(key));
    units = [...units.filter((u) => u.status === 'ok' || !fixed.has(key(u))), ...again];
  }
  return { units, blocked, incomplete: await completeness(pool, pairs, plan.families) };
}

/** The units that did not complete: skipped because locked or because a family they read did not, failed. */
export function notCompleted(units: UnitResult[]): UnitResult[] {
  return units.filter((u) => u.status === 'error' || (u.status === 'skipped' && u.reason !== 'current'));
}

/**
 * The error a run ends with, or null when every unit completed and no bar lacks its rows. The message
 * lists the units that did not complete (failed, locked, their dependents), the families left out
 * (backoff) and the incomplete months.
 */
export function outcomeError(out: RunOutcome, command: string): BqxError | null {
  const bad = notCompleted(out.units);
  const incomplete = out.incomplete ?? [];
  const stale = out.stale ?? [];
  if (!bad.length && !out.blocked.length && !incomplete.length && !stale.length) return null;
  const lines: string[] = [];
  for (const u of bad) {
    const what =
      u.status === 'error'
        ? 'failed'
        : u.reason === 'locked'
          ? 'skipped (locked)'
          : u.reason === 'stopped'
            ? 'not run (stopping)'
            : 'skipped (dependency)';
    lines.push(
      `  ${u.pair}/${u.family} [${new Date(u.from).toISOString()}, ${new Date(u.to).toISOString()}): ${what}${u.error ? `: ${u.error}` : ''}`,
    );
  }
  for (const b of out.blocked) lines.push(`  ${b.pair}/${b.family}: left out: ${b.reason}`);
  const shown = incomplete.slice(0, 20).map((i) => `  ${i.pair}/${i.family} ${i.month}: ${i.missing} of ${i.m1_rows} bars without rows`);
  if (incomplete.length)
    lines.push(
      `bars without feature rows in ${incomplete.length} (pair, family, month)(s):`,
      ...shown,
      ...(incomplete.length > 20 ? [`  ... and ${incomplete.length - 20} more`] : []),
    );
  if (stale.length) {
    lines.push(
      `rows computed under an older definition in ${stale.length} (pair, family, month)(s):`,
      ...stale
        .slice(0, 20)
        .map((s) => `  ${s.pair}/${s.family} ${s.month}: ${s.rows} rows computed with ${s.computedWith}, current ${s.current}`),
      ...(stale.length > 20 ? [`  ... and ${stale.length - 20} more`] : []),
    );
  }
  const locked = bad.some((u) => u.reason === 'locked' || u.code === 'BQX_LOCKED');
  const failedCodes = bad.filter((u) => u.status === 'error' && u.code).map((u) => u.code!);
  const code: BqxErrorCode = locked ? 'BQX_LOCKED' : (failedCodes.find((c) => c !== 'BQX_DB') ?? 'BQX_DB');
  const head = `${command} did not complete: ${bad.filter((u) => u.status === 'error').length} unit(s) failed, ${bad.filter((u) => u.status === 'skipped').length} skipped, ${out.blocked.length} left out`;
  return new BqxError(code, `${head}\n${lines.join('\n')}`, {
    hint: locked
      ? 'another session holds those units (a runner, a backfill): rerun when it is done; the lock holders are named above'
      : out.blocked.length && !failedCodes.length
        ? 'families in backoff are retried after their retry time; fix the cause shown, then rerun'
        : 'fix the cause shown, then rerun: completed units are kept, the rest is planned again',
    details: { units: bad, blocked: out.blocked, incomplete, stale },
  });
}
