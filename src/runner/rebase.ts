/**
 * `bqx rebase`: moves a pair's baseline B to what an in-order load would have set (the close of its first
 * bar at or after the base instant) and rewrites the pair's rate indices against it. B is fixed once
 * established, so a bar ingested later that precedes the bar B came from leaves the store as it is until
 * this is run (bqx status lists such pairs). The index update marks every family of the pair dirty
 * over the bars it changed (statement trigger on bqx.m1), and the command's refresh recomputes them.
 * One transaction per pair, under the pair's m1 partition lock, which every ingest of the pair holds
 * while it inserts.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { withTransaction } from '../db/tx.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface BaselineMove {
  pair: string;
  base_ts: Date;
  base_close: number;
  new_base_ts: Date;
  new_base_close: number;
}

/** The pairs (of `pairs`, null: all) whose baseline would move. */
export async function baselineMoves(pool: pg.Pool, pairs: readonly string[] | null): Promise<BaselineMove[]> {
  return (await pool.query<BaselineMove>(sql('baseline_moves'), [pairs])).rows;
}

export interface Rebased {
  pair: string;
  oldTs: string;
  oldClose: number;
  newTs: string;
  newClose: number;
  barsReindexed: number;
}

export async function rebasePairs(pool: pg.Pool, pairs: readonly string[]): Promise<Rebased[]> {
  const out: Rebased[] = [];
  for (const pair of pairs) {
    const done = await withTransaction(pool, async (c) => {
      await c.query(sql('rebase_lock'), [pair]);
      const r = (await c.query<{ old_ts: Date; old_close: number; new_ts: Date; new_close: number }>(sql('rebase_pair'), [pair])).rows[0];
      if (!r) return null;
      const n = (await c.query(sql('reindex_pair'), [pair])).rowCount ?? 0;
      return {
        pair,
        oldTs: r.old_ts.toISOString(),
        oldClose: r.old_close,
        newTs: r.new_ts.toISOString(),
        newClose: r.new_close,
        barsReindexed: n,
      };
    });
    if (done) out.push(done);
  }
  return out;
}
