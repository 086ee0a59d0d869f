/**
 * The chunks a pair's dataset is built in (buildPair.ts): runs of `chunkBars` bars of [from, to), so
 * DuckDB holds one chunk's extract (its bars, the max(lag) bars before them, the max(horizon) after)
 * whatever the range. Boundaries are bars of the pair's own series (sql/pg_chunk_bounds.sql): every
 * chunk has bars, and its rows are exactly the unchunked build's rows in [from, to) of the chunk.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';

export interface PairChunk {
  /** The chunk's rows: [from, to). */
  from: number;
  to: number;
  /** Where its extract ends: the bar maxHorizon bars past its last row's next (or the range's end). */
  extractTo: number;
}

export async function pairChunks(
  pool: pg.Pool,
  pair: string,
  from: number,
  to: number,
  chunkBars: number,
  maxHorizon: number,
): Promise<PairChunk[]> {
  if (!(Number.isInteger(chunkBars) && chunkBars >= 1)) throw new Error(`chunkBars ${chunkBars}: a positive whole number of bars`);
  const at = new Map(
    (
      await pool.query<{ k: string; ts_utc: Date }>(loadSql(import.meta.url, './sql/pg_chunk_bounds.sql'), [
        pair,
        new Date(from),
        new Date(to),
        chunkBars,
        maxHorizon,
      ])
    ).rows.map((r) => [Number(r.k), r.ts_utc.getTime()]),
  );
  const starts = [from];
  for (let k = chunkBars; at.has(k); k += chunkBars) starts.push(at.get(k)!);
  return starts.map((s, j) => {
    const end = starts[j + 1] ?? to;
    return { from: s, to: end, extractTo: j + 1 < starts.length ? (at.get((j + 1) * chunkBars + maxHorizon) ?? to) : to };
  });
}
