/**
 * One refresh unit (pair, family, [from, to)) as the runner runs it: in one transaction, the unit's
 * advisory lock (another runner holding it means skip, never wait), the refresh, the watermark, the dirty
 * spans it recomputed and the bqx.refresh_runs row. Killed at any point, the transaction rolls back and
 * nothing of the unit remains; the rerun does it again. A failure is rolled back, then recorded (error,
 * backoff) in its own transaction, on a fresh connection when the unit's own one died.
 *
 * Lock waits inside a unit (the partition lock of ensure_partitions) end after the session's lock_timeout
 * (src/db/connect.ts): the unit then fails as BQX_LOCKED naming the session that holds the lock.
 */
import os from 'node:os';
import type pg from 'pg';
import { BqxError, type BqxErrorCode, fromPgError, isConnectionError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { refreshStatsIn } from '../monitor/refreshStats.ts';
import { checkUnit, refreshFamilyIn } from './refreshFamily.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export type Trigger = 'refresh' | 'backfill' | 'runner';

export interface Unit {
  pair: string;
  family: string;
  from: number;
  to: number;
  /** The late-bar mark this unit was planned for (cleared on success if still the same). */
  dirty?: Date | null;
  /** Ids of the bqx.dirty_ranges rows whose whole reach this unit recomputes (deleted on success). */
  dirtyIds?: number[];
  /** Planned from watermarks: skip it if another runner brought it up to date since the plan. */
  incremental?: boolean;
}

/**
 * Why a unit was skipped: `locked` another session holds it; `current` another runner did it meanwhile
 * (nothing left to do); `dependency` a family it reads failed, was skipped or is in backoff; `stopped`
 * the runner was asked to stop before it.
 */
export type SkipReason = 'locked' | 'current' | 'dependency' | 'stopped';

export interface UnitResult extends Unit {
  status: 'ok' | 'error' | 'skipped';
  rows: number;
  partitions: number;
  seconds: number;
  error?: string;
  /** The error's code (status error), or BQX_LOCKED for a unit skipped because it was locked. */
  code?: BqxErrorCode;
  reason?: SkipReason;
}

export const RUNNER_ID = `${os.hostname()}:${process.pid}`;
/** Units writing at least this many rows analyze the partitions they wrote. */
export const ANALYZE_ROWS = 10_000;

/** Calendar months [from, to) touches: the partitions a unit writes. */
export function monthsTouched(from: number, to: number): number {
  const a = new Date(from);
  const b = new Date(to - 1);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
}

/** "pid 123 (bqx-store, user bqx, since 2024-07-01T00:00:00Z: select ...)" for each holder of a lock. */
export function describeHolders(rows: Array<Record<string, unknown>>): string {
  if (!rows.length) return 'a session that has since released it';
  return rows
    .map(
      (r) =>
        `pid ${r.pid} (${[
          r.application || 'no application name',
          r.user && `user ${r.user}`,
          r.client && `from ${r.client}`,
          r.xact_start && `in a transaction since ${(r.xact_start as Date).toISOString()}`,
        ]
          .filter(Boolean)
          .join(', ')}${r.query ? `: ${String(r.query).replace(/\s+/g, ' ').trim()}` : ''})`,
    )
    .join('; ');
}

/** A row of lock_holders.sql (a type, not an interface, so it passes as describeHolders' records). */
type LockHolderRow = {
  pid: number;
  user: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  xact_start: Date | null;
  query: string | null;
};

/** Who holds the unit lock or the partition lock of (pair, family); '' when the lookup itself fails. */
export async function unitLockHolders(
  c: pg.ClientBase,
  pair: string,
  family: string,
  which: 'unit' | 'partition' | 'any',
): Promise<string> {
  try {
    const k = (
      await c.query<{ unit_class: number; unit_key: number; partition_class: number; partition_key: number }>(sql('unit_lock_keys'), [
        pair,
        family,
      ])
    ).rows[0];
    const rows: LockHolderRow[] = [];
    if (which !== 'partition') rows.push(...(await c.query<LockHolderRow>(sql('lock_holders'), [k.unit_class, k.unit_key])).rows);
    if (which !== 'unit') rows.push(...(await c.query<LockHolderRow>(sql('lock_holders'), [k.partition_class, k.partition_key])).rows);
    return describeHolders(rows);
  } catch {
    return '';
  }
}

/** Records a unit that did not run to the end, on `c` or, when that connection is gone, on a fresh one. */
async function record(pool: pg.Pool, c: pg.ClientBase | null, params: unknown[], failure: string | null): Promise<void> {
  const write = async (k: pg.ClientBase) => {
    await k.query('begin');
    try {
      await k.query(sql('record_run'), params);
      if (failure !== null) await k.query(sql('record_failure'), [params[0], params[1], failure]);
      await k.query('commit');
    } catch (err) {
      await k.query('rollback').catch(() => {});
      throw err;
    }
  };
  if (c) {
    try {
      await write(c);
      return;
    } catch (err) {
      if (!isConnectionError(err)) throw err;
    }
  }
  const fresh = await pool.connect();
  try {
    await write(fresh);
  } finally {
    fresh.release();
  }
}

/** The typed error of a failed unit: a lock timeout names who holds the lock. */
async function unitError(pool: pg.Pool, err: unknown, pair: string, family: string): Promise<BqxError> {
  const e = fromPgError(err);
  if (e instanceof BqxError && e.code === 'BQX_LOCKED' && (e.details as { sqlstate?: string } | undefined)?.sqlstate === '55P03') {
    const holders = await pool.connect().then(
      async (k) => {
        try {
          return await unitLockHolders(k, pair, family, 'any');
        } finally {
          k.release();
        }
      },
      () => '',
    );
    return new BqxError(
      'BQX_LOCKED',
      `${pair}/${family}: gave up waiting for a lock after lock_timeout${holders ? `; held by ${holders}` : ''}`,
      {
        hint: 'wait for that session to finish (or end it), then rerun; BQX_LOCK_TIMEOUT sets the wait (default 60s)',
        cause: err,
      },
    );
  }
  if (e instanceof BqxError) return e;
  // not a database error: a bug; still a failed unit, recorded as such
  return new BqxError('BQX_DB', e instanceof Error ? e.message : String(e), { cause: err, details: { bug: true } });
}

export async function runUnit(pool: pg.Pool, unit: Unit, trigger: Trigger): Promise<UnitResult> {
  const { family, pair } = checkUnit(unit.family, unit.pair);
  const started = new Date();
  const t0 = performance.now();
  const from = new Date(unit.from);
  const to = new Date(unit.to);
  const partitions = monthsTouched(unit.from, unit.to);
  const base = { ...unit, family, pair, partitions };
  const elapsed = () => (performance.now() - t0) / 1000;
  let c: pg.PoolClient;
  try {
    c = await pool.connect();
  } catch (err) {
    const e = await unitError(pool, err, pair, family);
    return { ...base, status: 'error', rows: 0, seconds: elapsed(), error: `${e.code}: ${e.message}`, code: e.code };
  }
  let broken: Error | undefined;
  try {
    try {
      await c.query('begin');
      if (!(await c.query<{ ok: boolean }>(sql('try_unit_lock'), [pair, family])).rows[0].ok) {
        const holders = await unitLockHolders(c, pair, family, 'unit');
        await c.query('rollback');
        const message = `locked by another session: ${holders}`;
        await c.query(sql('record_run'), [pair, family, from, to, 0, 0, started, 0, 'skipped', message, trigger, RUNNER_ID]);
        return { ...base, status: 'skipped', reason: 'locked', code: 'BQX_LOCKED', rows: 0, seconds: elapsed(), error: message };
      }
      if (
        unit.incremental &&
        (await c.query<{ current: boolean }>(sql('unit_current'), [pair, family, from, to, unit.dirtyIds ?? []])).rows[0].current
      ) {
        await c.query('rollback');
        await c.query(sql('record_run'), [
          pair,
          family,
          from,
          to,
          0,
          0,
          started,
          0,
          'skipped',
          'already current: another runner did it',
          trigger,
          RUNNER_ID,
        ]);
        return { ...base, status: 'skipped', reason: 'current', rows: 0, seconds: elapsed() };
      }
      const rows = await refreshFamilyIn(c, family, pair, { from: unit.from, to: unit.to });
      await refreshStatsIn(c, family, pair, { from: unit.from, to: unit.to }); // monitoring (src/monitor)
      const last = (await c.query<{ last: Date | null }>(sql('last_bar_before'), [pair, from, to])).rows[0].last;
      if (last) await c.query(sql('advance_watermark'), [pair, family, last, unit.dirty ?? null]);
      if (unit.dirtyIds?.length) await c.query(sql('clear_dirty'), [unit.dirtyIds]);
      const seconds = elapsed();
      await c.query(sql('record_run'), [pair, family, from, to, rows, partitions, started, seconds, 'ok', null, trigger, RUNNER_ID]);
      await c.query('commit');
      // A bulk write leaves its partitions without statistics until autovacuum comes by; a view query in
      // the meantime plans 13-way joins blind (a month through bqx.features_* took 155 s instead of 0.2 s).
      // A coarse sample (statistics target 10: 3,000 rows) is what join planning needs, at a tenth of the
      // cost of the default; autovacuum refines it later.
      // Best effort: the unit has committed, so a failure here (a lost connection) is no failure of it.
      if (rows >= ANALYZE_ROWS) {
        try {
          await c.query('set default_statistics_target = 10');
          for (const r of (await c.query<{ partition_name: string }>(sql('partitions_in_range'), [family, pair, from, to])).rows) {
            await c.query(`analyze bqx.${quoteIdent(r.partition_name)}`);
          }
          await c.query('reset default_statistics_target');
        } catch (err) {
          if (isConnectionError(err)) broken = err as Error;
          else await c.query('reset default_statistics_target').catch(() => {});
        }
      }
      return { ...base, status: 'ok', rows, seconds };
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      else
        await c.query('rollback').catch((e2) => {
          if (isConnectionError(e2)) broken = e2 as Error;
        });
      const e = await unitError(pool, err, pair, family);
      const message = `${e.code}: ${e.message}`;
      const seconds = elapsed();
      // recorded in a transaction of its own, the unit's work being gone; on a fresh connection when this
      // one died; if even that fails (the server is down), the error still goes back to the caller
      await record(
        pool,
        broken ? null : c,
        [pair, family, from, to, 0, partitions, started, seconds, 'error', message, trigger, RUNNER_ID],
        message,
      ).catch(() => {});
      return { ...base, status: 'error', rows: 0, seconds, error: message, code: e.code };
    }
  } finally {
    // a connection that failed is destroyed, never handed to the next unit
    c.release(broken);
  }
}

/** Records a unit left out because a family it reads did not complete (or the runner is stopping). */
export async function recordSkipped(pool: pg.Pool, unit: Unit, trigger: Trigger, reason: SkipReason, message: string): Promise<UnitResult> {
  const { family, pair } = checkUnit(unit.family, unit.pair);
  await record(
    pool,
    null,
    [pair, family, new Date(unit.from), new Date(unit.to), 0, 0, new Date(), 0, 'skipped', message, trigger, RUNNER_ID],
    null,
  ).catch(() => {});
  return { ...unit, family, pair, partitions: 0, status: 'skipped', reason, rows: 0, seconds: 0, error: message };
}
