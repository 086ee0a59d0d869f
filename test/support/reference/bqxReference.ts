/**
 * Independent reference for the bqx family, straight from spec section 3 with plain loops (no rolling
 * sums, no anchors): for each bar t and W, P_W = I(t-W) .. I(t-1).
 */
import { BQX_WINDOWS } from '../../../src/features/catalog/bqx.ts';

export type Row = Record<string, number | null>;

export function bqxReference(I: Array<number | null>): Row[] {
  const out: Row[] = [];
  for (let t = 0; t < I.length; t++) {
    const row: Row = {};
    const it = I[t];
    for (const W of [...BQX_WINDOWS, 'agg' as const]) {
      const w = W === 'agg' ? 75 : W;
      const p = t >= w ? I.slice(t - w, t) : [];
      const ok = it !== null && it !== 0 && p.length === w && p.every((v) => v !== null);
      const name = W === 'agg' ? 'agg' : `w${W}`;
      if (!ok) {
        for (const k of ['return', 'max_index', 'min_index', 'avg_index', 'stdev_index', 'endpoint', 'range', 'volatility'])
          row[`${name}_bqx_${k}`] = null;
        continue;
      }
      const vals = p as number[];
      let sum = 0;
      for (const v of vals) sum += (v - it!) / it!;
      const mean = vals.reduce((a, b) => a + b, 0) / w;
      let ss = 0;
      for (const v of vals) ss += (v - mean) ** 2;
      const max = Math.max(...vals);
      const min = Math.min(...vals);
      const sd = max === min ? 0 : Math.sqrt(ss / (w - 1));
      row[`${name}_bqx_return`] = sum;
      row[`${name}_bqx_max_index`] = max;
      row[`${name}_bqx_min_index`] = min;
      row[`${name}_bqx_avg_index`] = mean;
      row[`${name}_bqx_stdev_index`] = sd;
      if (W !== 'agg') row[`${name}_bqx_endpoint`] = (vals[0] - it!) / it!;
      else {
        row.agg_bqx_range = (max - min) / it!;
        row.agg_bqx_volatility = sd / it!;
      }
    }
    out.push(row);
  }
  return out;
}
