/**
 * One cross unit (family, all 28 pairs, range) in one transaction, as runUnit does a pair's: the unit's
 * advisory lock (another runner holding it means skip, never wait), bqx.refresh_<family>(from, to), the
 * cross watermark, the dirty spans it recomputed, the definition that computed them (bqx.cross_definitions)
 * and the bqx.refresh_runs row (pair '*'). A failure is
 * rolled back, then recorded (error, backoff) in its own statement.
 */
import type pg from 'pg';
import { BqxError, fromPgError, isConnectionError } from '../db/errors.ts';
import { liveCrossFingerprints } from '../db/liveFingerprints.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { CROSS_SECTIONAL } from '../features/catalog/index.ts';
import { ALL_PAIRS, type CrossUnit } from './planCross.ts';
import { ANALYZE_ROWS, monthsTouched, RUNNER_ID, type Trigger, type UnitResult } from './runUnit.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const MINUTE = 60_000;

export async function runCrossUnit(pool: pg.Pool, unit: CrossUnit, trigger: Trigger): Promise<UnitResult> {
  const fam = CROSS_SECTIONAL.find((f) => f.family === unit.family);
  if (!fam) throw new Error(`not a cross-sectional family: ${unit.family}`);
  const started = new Date();
  const t0 = performance.now();
  const from = new Date(unit.from);
  const to = new Date(unit.to);
  const partitions = monthsTouched(unit.from, unit.to);
  const base = { pair: ALL_PAIRS, family: fam.family, from: unit.from, to: unit.to, dirtyIds: unit.dirtyIds, partitions };
  const elapsed = () => (performance.now() - t0) / 1000;
  const run = (rows: number, status: string, error: string | null, seconds: number) => [
    ALL_PAIRS,
    fam.family,
    from,
    to,
    rows,
    partitions,
    started,
    seconds,
    status,
    error,
    trigger,
    RUNNER_ID,
  ];
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query('begin');
    if (!(await c.query<{ ok: boolean }>(sql('try_cross_lock'), [fam.family])).rows[0].ok) {
      await c.query('rollback');
      const message = 'locked by another session (its cross unit is in flight)';
      await c.query(sql('record_run'), run(0, 'skipped', message, elapsed()));
      return { ...base, status: 'skipped', reason: 'locked', code: 'BQX_LOCKED', rows: 0, seconds: elapsed(), error: message };
    }
    // Two runners may plan the same unit; the second to take the lock finds it done (as runUnit does).
    const upTo = unit.advanceTo !== null ? new Date(Math.min(unit.to, unit.advanceTo + MINUTE)) : null;
    if (
      unit.incremental &&
      (await c.query<{ current: boolean }>(sql('cross_unit_current'), [fam.family, from, upTo, unit.dirtyIds])).rows[0].current
    ) {
      await c.query('rollback');
      await c.query(sql('record_run'), run(0, 'skipped', 'already current: another runner did it', elapsed()));
      return { ...base, status: 'skipped', reason: 'current', rows: 0, seconds: elapsed() };
    }
    // The function name is built from a catalog family, then quoted: never from raw input.
    const r = await c.query<{ n: string }>(`select bqx.${quoteIdent(`refresh_${fam.family}`)}($1, $2) as n`, [from, to]);
    const rows = Number(r.rows[0].n);
    let last: Date | null = null;
    if (upTo !== null) last = (await c.query<{ last: Date | null }>(sql('cross_last_bar'), [from, upTo])).rows[0].last;
    await c.query(sql('advance_cross_watermark'), [fam.family, last]);
    // which definition computed the range (bqx.cross_definitions), as recordDefinition does for a pair's
    const fp = (await liveCrossFingerprints(c)).get(fam.family);
    if (fp) await c.query(sql('record_cross_definition'), [fam.family, fp, from, to]);
    if (unit.dirtyIds.length) await c.query(sql('clear_cross_dirty'), [unit.dirtyIds]);
    const seconds = elapsed();
    await c.query(sql('record_run'), run(rows, 'ok', null, seconds));
    await c.query('commit');
    // Statistics for the months it wrote, as runUnit does for a bulk write, and for any month without
    // them even after a small write: the readers' refresh joins these tables. Best effort: committed.
    try {
      await c.query('set default_statistics_target = 10');
      const parts = (
        await c.query<{ partition_name: string }>(sql('cross_partitions_to_analyze'), [fam.family, from, to, rows >= ANALYZE_ROWS])
      ).rows;
      for (const p of parts) await c.query(`analyze bqx.${quoteIdent(p.partition_name)}`);
      await c.query('reset default_statistics_target');
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      else await c.query('reset default_statistics_target').catch(() => {});
    }
    return { ...base, status: 'ok', rows, seconds };
  } catch (err) {
    if (isConnectionError(err)) broken = err as Error;
    else await c.query('rollback').catch(() => {});
    const e = fromPgError(err);
    const code = e instanceof BqxError ? e.code : 'BQX_DB';
    const message = `${code}: ${e instanceof Error ? e.message : String(e)}`;
    const seconds = elapsed();
    const k = broken ? await pool.connect().catch(() => null) : c;
    if (k) {
      await k.query(sql('record_run'), run(0, 'error', message, seconds)).catch(() => {});
      await k.query(sql('record_cross_failure'), [fam.family, message]).catch(() => {});
      if (k !== c) k.release();
    }
    return { ...base, status: 'error', rows: 0, seconds, error: message, code };
  } finally {
    c.release(broken);
  }
}
