/**
 * `bqx status`: the plan's daily metrics from the database itself: features populated out of the 453,
 * partitions made out of the layout the data needs, rows per partition, time per partition written,
 * regression R^2 per window, errors, and the state of each pipeline stage. "The day" is the 24 hours
 * before the newest bar (or before now, with no bars).
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { withClient } from '../db/tx.ts';
import { FAMILY_NAMES } from '../features/catalog/index.ts';
import { type MonitorStatus, monitorStatus } from '../monitor/monitorStatus.ts';
import { crossHorizon } from './planCross.ts';
import { type BaselineMove, baselineMoves } from './rebase.ts';
import { completeness, type Incomplete } from './refreshUntilComplete.ts';
import { type StaleRows, staleRows } from './staleRows.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface Status {
  since: string;
  features: { populated: number; total: number; emptyColumns: Array<{ family: string; column: string }> };
  partitions: { created: number; expected: number; avgRowsPerM1Partition: number | null };
  runs: {
    unitsOk: number;
    unitsFailed: number;
    unitsSkipped: number;
    rows: number;
    secondsPerPartition: number | null;
    recentErrors: unknown[];
  };
  r2: Array<{ domain: string; window: string; fits: number; avgR2: number | null; shareAbove07: number | null }>;
  stages: Array<Record<string, unknown>>;
  /**
   * Bars of bqx.m1 without their row in a family, per (pair, family, month) (sql/checks/
   * feature_rows_complete.sql): complete when there are none; `bqx refresh` computes them.
   */
  completeness: { complete: boolean; missingBars: number; incomplete: Incomplete[] };
  /** Spans of bars changed since their families computed them, waiting for a refresh. */
  dirty: Array<{ family: string; pairs: number; spans: number; earliest: Date }>;
  /**
   * Rows computed under an older definition of their family than the live one, per (pair, family,
   * month): `bqx refresh` recomputes them (a runner does, tick by tick, after the new bars).
   */
  stale: StaleRows[];
  /** Pairs whose baseline B would move (a late bar precedes the bar B came from): `bqx rebase --pairs P`. */
  baselines: { wouldMove: BaselineMove[] };
  monitoring: MonitorStatus;
  /**
   * The cross-section (README, "Cross-pair families"): how far it can be computed (horizon: the earliest
   * of the pairs' last bars, a pair more than CARRY_MINUTES behind the newest left out) and the pair
   * holding it there; per cross-sectional family its watermark, retry state and pending dirty spans.
   */
  crossSection: {
    horizon: Date | null;
    heldBy: string | null;
    newestBar: Date | null;
    pairsBehind: number;
    families: Array<{
      family: string;
      watermark: Date | null;
      failures: number;
      retry_at: Date | null;
      last_error: string | null;
      dirty_spans: number;
      dirty_from: Date | null;
      partitions: number;
    }>;
  };
}

/** A row of status_runs.sql (units and rows since the status's day; sums of numeric columns as numbers). */
interface StatusRunsRow {
  units_ok: number;
  units_failed: number;
  units_skipped: number;
  rows: number;
  seconds_per_partition: number | null;
  recent_errors: unknown[];
}

export async function status(pool: pg.Pool): Promise<Status> {
  const last = (await pool.query<{ t: Date | null }>(sql('status_last_bar'))).rows[0].t;
  const since = new Date((last ?? new Date()).getTime() - 86_400_000);
  const fill = (
    await pool.query<{ family: string; column_name: string; non_null: number; total: number }>(sql('status_feature_fill'), [since])
  ).rows;
  const parts = (await pool.query<{ created: number; expected: number; m1_rows: number; m1_partitions: number }>(sql('status_partitions')))
    .rows[0];
  const runs = (await pool.query<StatusRunsRow>(sql('status_runs'), [since])).rows[0];
  const r2 = (
    await pool.query<{
      domain: string;
      window_name: string;
      window_bars: number;
      fits: number;
      avg_r2: number | null;
      share_r2_above_0_7: number | null;
    }>(sql('status_reg_r2'), [since])
  ).rows;
  const stages = (await pool.query<Record<string, unknown>>(sql('status_stages'), [FAMILY_NAMES])).rows;
  const incomplete = await completeness(pool, null, null);
  const dirty = (await pool.query<{ family: string; pairs: number; spans: number; earliest: Date }>(sql('dirty_summary'))).rows;
  const wouldMove = await baselineMoves(pool, null);
  const stale = await staleRows(pool);
  const h = await withClient(pool, crossHorizon);
  const crossFamilies = (await pool.query<Status['crossSection']['families'][number]>(sql('status_cross'))).rows;
  return {
    since: since.toISOString(),
    features: {
      populated: fill.filter((r) => Number(r.non_null) > 0).length,
      total: fill.length,
      emptyColumns: fill.filter((r) => Number(r.non_null) === 0).map((r) => ({ family: r.family, column: r.column_name })),
    },
    partitions: {
      created: parts.created,
      expected: parts.expected,
      avgRowsPerM1Partition: parts.m1_partitions ? Math.round(Number(parts.m1_rows) / parts.m1_partitions) : null,
    },
    runs: {
      unitsOk: runs.units_ok,
      unitsFailed: runs.units_failed,
      unitsSkipped: runs.units_skipped,
      rows: Number(runs.rows),
      secondsPerPartition: runs.seconds_per_partition,
      recentErrors: runs.recent_errors,
    },
    r2: r2.map((r) => ({
      domain: r.domain,
      window: r.window_name,
      fits: Number(r.fits),
      avgR2: r.avg_r2,
      shareAbove07: r.share_r2_above_0_7,
    })),
    stages,
    completeness: {
      complete: incomplete.length === 0,
      missingBars: incomplete.reduce((n, i) => n + Math.max(0, i.missing), 0),
      incomplete,
    },
    dirty,
    stale,
    baselines: { wouldMove },
    monitoring: await monitorStatus(pool),
    crossSection: {
      horizon: h.horizon === null ? null : new Date(h.horizon),
      heldBy: h.heldBy,
      newestBar: h.newest === null ? null : new Date(h.newest),
      pairsBehind: h.pairsBehind,
      families: crossFamilies,
    },
  };
}
