/**
 * Reads feature columns of a split (a FROM clause from splitSource) into the forest's binned matrix,
 * a few dozen columns at a time (the doubles of all 576 columns at once would need 8x the memory of
 * their bins). Cut points are fit on the given rows (train) or reused (validation: never refit
 * outside train). Every read of the same source returns its rows in the same (file) order.
 */
import { type DuckSession, duckIdent } from '../DuckSession.ts';
import { allocBinned, applyBins, type BinnedMatrix, binEdges } from './binning.ts';

const BATCH = 48;
/** A per-row key read with every batch: the batches must list the rows in the same order. */
const ROW_KEY = '(hash(pair, ts_utc) % 4503599627370496)::double';

function assertSameOrder(a: Float64Array, b: Float64Array, source: string): void {
  for (let i = 0; i < a.length; i++)
    if (a[i] !== b[i]) throw new Error(`two reads of ${source} returned rows in different orders (row ${i})`);
}

export async function loadBinned(
  duck: DuckSession,
  source: string,
  columns: string[],
  cuts?: Float64Array[],
): Promise<BinnedMatrix & { rowKey: Float64Array }> {
  const [{ n }] = await duck.rows<{ n: bigint }>(`select count(*) as n from ${source}`);
  const rows = Number(n);
  const bins = allocBinned(rows, columns.length);
  const outCuts: Float64Array[] = [];
  let firstKey: Float64Array | null = null;
  for (let start = 0; start < columns.length; start += BATCH) {
    const names = columns.slice(start, start + BATCH);
    const c = await duck.readColumns(`select ${ROW_KEY}, ${names.map((x) => `${duckIdent(x)}::double`).join(', ')} from ${source}`);
    const key = c.data.shift()!;
    if (c.rows !== rows) throw new Error(`read ${c.rows} rows of ${source}, counted ${rows}`);
    if (!firstKey) firstKey = key;
    else assertSameOrder(firstKey, key, source);
    for (let j = 0; j < names.length; j++) {
      const f = start + j;
      const edges = cuts ? cuts[f] : binEdges(c.data[j], 64, f + 1);
      outCuts.push(edges);
      applyBins(c.data[j], edges, bins.subarray(f * rows, (f + 1) * rows));
    }
  }
  return { rows, features: columns.length, bins, cuts: outCuts, rowKey: firstKey ?? new Float64Array(0) };
}

/** One more column of the same rows, in the same order (checked against the matrix's first read). */
export async function loadColumn(duck: DuckSession, source: string, column: string, like: { rowKey: Float64Array }): Promise<Float64Array> {
  const c = await duck.readColumns(`select ${ROW_KEY}, ${duckIdent(column)}::double from ${source}`);
  assertSameOrder(like.rowKey, c.data[0], source);
  return c.data[1];
}
