/**
 * One refresh unit (pair, family, [from, to)) as the runner runs it: in one transaction, the unit's
 * advisory lock (another runner holding it means skip, never wait), the refresh, the watermark and the
 * bqx.refresh_runs row. Killed at any point, the transaction rolls back and nothing of the unit remains;
 * the rerun does it again. A failure is rolled back, then recorded (error, backoff) in its own transaction.
 */
import os from 'node:os';
import type pg from 'pg';
import { BqxError, fromPgError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { withClient } from '../db/tx.ts';
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
  /** Planned from watermarks: skip it if another runner brought it up to date since the plan. */
  incremental?: boolean;
}

export interface UnitResult extends Unit {
  status: 'ok' | 'error' | 'skipped';
  rows: number;
  partitions: number;
  seconds: number;
  error?: string;
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

export async function runUnit(pool: pg.Pool, unit: Unit, trigger: Trigger): Promise<UnitResult> {
  const { family, pair } = checkUnit(unit.family, unit.pair);
  const started = new Date();
  const t0 = performance.now();
  const from = new Date(unit.from);
  const to = new Date(unit.to);
  const partitions = monthsTouched(unit.from, unit.to);
  const base = { ...unit, family, pair, partitions };
  return withClient(pool, async (c) => {
    await c.query('begin');
    try {
      if (!(await c.query(sql('try_unit_lock'), [pair, family])).rows[0].ok) {
        await c.query('rollback');
        await c.query(sql('record_run'), [pair, family, from, to, 0, 0, started, 0, 'skipped', 'locked by another runner', trigger, RUNNER_ID]);
        return { ...base, status: 'skipped', rows: 0, seconds: (performance.now() - t0) / 1000 };
      }
      if (unit.incremental && (await c.query(sql('unit_current'), [pair, family, from, to])).rows[0].current) {
        await c.query('rollback');
        await c.query(sql('record_run'), [pair, family, from, to, 0, 0, started, 0, 'skipped', 'already current: another runner did it', trigger, RUNNER_ID]);
        return { ...base, status: 'skipped', rows: 0, seconds: (performance.now() - t0) / 1000 };
      }
      const rows = await refreshFamilyIn(c, family, pair, { from: unit.from, to: unit.to });
      const last = (await c.query(sql('last_bar_before'), [pair, from, to])).rows[0].last as Date | null;
      if (last) await c.query(sql('advance_watermark'), [pair, family, last, unit.dirty ?? null]);
      const seconds = (performance.now() - t0) / 1000;
      await c.query(sql('record_run'), [pair, family, from, to, rows, partitions, started, seconds, 'ok', null, trigger, RUNNER_ID]);
      await c.query('commit');
      // A bulk write leaves its partitions without statistics until autovacuum comes by; a view query in
      // the meantime plans 13-way joins blind (a month through bqx.features_* took 155 s instead of 0.2 s).
      // A coarse sample (statistics target 10: 3,000 rows) is what join planning needs, at a tenth of the
      // cost of the default; autovacuum refines it later.
      if (rows >= ANALYZE_ROWS) {
        await c.query('set default_statistics_target = 10');
        try {
          for (const r of (await c.query(sql('partitions_in_range'), [family, pair, from, to])).rows) {
            await c.query(`analyze bqx.${quoteIdent(r.partition_name)}`);
          }
        } finally {
          await c.query('reset default_statistics_target');
        }
      }
      return { ...base, status: 'ok', rows, seconds };
    } catch (err) {
      await c.query('rollback').catch(() => {});
      const e = fromPgError(err);
      const message = e instanceof BqxError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
      const seconds = (performance.now() - t0) / 1000;
      // recorded in a transaction of its own, the unit's work being gone; if even that fails (the
      // connection died), the error still goes back to the caller
      try {
        await c.query('begin');
        await c.query(sql('record_run'), [pair, family, from, to, 0, partitions, started, seconds, 'error', message, trigger, RUNNER_ID]);
        await c.query(sql('record_failure'), [pair, family, message]);
        await c.query('commit');
      } catch {
        await c.query('rollback').catch(() => {});
      }
      return { ...base, status: 'error', rows: 0, seconds, error: message };
    }
  });
}
