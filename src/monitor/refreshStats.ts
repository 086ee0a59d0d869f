/**
 * The runner's monitoring step: after a unit rewrote (pair, family, [from, to)), bqx.feature_stats is
 * brought up to date for the months that range touches, in the unit's own transaction, so statistics and
 * rows commit (or roll back) together. A family with no feature columns (m1, bqx, labels) costs one
 * catalog look-up. The work is in-engine: sql/functions/bqx.feature_stats_refresh.sql.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

let enabled = true;

/** For bench/monitor.bench.ts only: a tick and a backfill timed with and without the statistics. */
export function setFeatureStatsEnabled(on: boolean): void {
  enabled = on;
}

/** Returns the statistics rows written. */
export async function refreshStatsIn(c: pg.ClientBase, family: string, pair: string, range: { from: number; to: number }): Promise<number> {
  if (!enabled) return 0;
  const r = await c.query<{ n: number }>(sql('refresh_stats'), [pair, family, new Date(range.from), new Date(range.to)]);
  return Number(r.rows[0].n);
}
