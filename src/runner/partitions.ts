/**
 * Partition management from TypeScript: thin wrappers over the sql/partitions functions, one
 * transaction per (family, pair) so that making a plan's layout (28 pairs x 25 months x 14 families,
 * about 10k tables) never holds more locks than the server's lock table allows. The cross-sectional
 * tables (CROSS_SECTIONAL) are one unit per family, pair '*' in the results; drop them after the pairs'
 * months (their retention floor follows the pairs' first kept rows).
 */
import type pg from 'pg';
import type { Range } from '../cli/options.ts';
import { fromPgError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { withTransaction } from '../db/tx.ts';
import { ALL_PAIRS } from './planCross.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface EnsureResult {
  family: string;
  pair: string;
  created: number;
}

export async function ensurePartitions(
  pool: pg.Pool,
  families: readonly string[],
  pairs: readonly string[],
  range: Range,
  premakeMonths: number | null,
  onUnit?: (done: number, total: number) => void,
): Promise<EnsureResult[]> {
  const out: EnsureResult[] = [];
  const total = families.length * pairs.length;
  for (const family of families) {
    for (const pair of pairs) {
      const created = await withTransaction(
        pool,
        async (c) =>
          (
            await c.query<{ created: number }>(sql('ensure_partitions'), [
              family,
              pair,
              new Date(range.from),
              new Date(range.to),
              premakeMonths,
            ])
          ).rows[0].created,
      );
      out.push({ family, pair, created });
      onUnit?.(out.length, total);
    }
  }
  return out;
}

export interface PartitionRow {
  family: string;
  pair: string;
  partition_name: string;
  range_from: Date;
  range_to: Date;
  attached: boolean;
  est_rows: number;
}

export async function listPartitions(pool: pg.Pool, family: string | null, pair: string | null): Promise<PartitionRow[]> {
  try {
    return (await pool.query<PartitionRow>(sql('list_partitions'), [family, pair])).rows;
  } catch (err) {
    throw fromPgError(err);
  }
}

export async function detachPartition(pool: pg.Pool, family: string, pair: string, month: number): Promise<string> {
  return withTransaction(
    pool,
    async (c) =>
      (await c.query<{ partition_name: string }>(sql('detach_partition'), [family, pair, new Date(month)])).rows[0].partition_name,
  );
}

export async function dropPartitions(
  pool: pg.Pool,
  families: readonly string[],
  pairs: readonly string[],
  before: number,
): Promise<Array<{ family: string; pair: string; partition_name: string | null; action: string }>> {
  const out = [];
  for (const family of families) {
    for (const pair of pairs) {
      const rows = await withTransaction(
        pool,
        async (c) =>
          (await c.query<{ partition_name: string | null; action: string }>(sql('drop_partitions'), [family, pair, new Date(before)])).rows,
      );
      for (const r of rows) out.push({ family, pair, ...r });
    }
  }
  return out;
}

/** ensurePartitions for the cross-sectional tables (bqx.ensure_cross_partitions): same range and premake. */
export async function ensureCrossPartitions(
  pool: pg.Pool,
  families: readonly string[],
  range: Range,
  premakeMonths: number | null,
): Promise<EnsureResult[]> {
  const out: EnsureResult[] = [];
  for (const family of families) {
    const created = await withTransaction(
      pool,
      async (c) =>
        (
          await c.query<{ created: number }>(sql('ensure_cross_partitions'), [
            family,
            new Date(range.from),
            new Date(range.to),
            premakeMonths,
          ])
        ).rows[0].created,
    );
    out.push({ family, pair: ALL_PAIRS, created });
  }
  return out;
}

/**
 * dropPartitions for the cross-sectional tables (bqx.drop_cross_partitions): the months that end at or
 * before `before` and before the first minute the pairs' kept rows read (crossRetentionFloor).
 */
export async function dropCrossPartitions(
  pool: pg.Pool,
  families: readonly string[],
  before: number,
): Promise<Array<{ family: string; pair: string; partition_name: string | null; action: string }>> {
  const out = [];
  for (const family of families) {
    const rows = await withTransaction(
      pool,
      async (c) =>
        (await c.query<{ partition_name: string | null; action: string }>(sql('drop_cross_partitions'), [family, new Date(before)])).rows,
    );
    for (const r of rows) out.push({ family, pair: ALL_PAIRS, ...r });
  }
  return out;
}

/** The earliest instant of a cross-sectional table the pairs' kept rows read (null: none reads it). */
export async function crossRetentionFloor(pool: pg.Pool, family: string): Promise<number | null> {
  return (await pool.query<{ floor: Date | null }>(sql('cross_retention_floor'), [family])).rows[0].floor?.getTime() ?? null;
}
