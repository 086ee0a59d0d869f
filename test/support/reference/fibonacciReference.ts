/**
 * fibonacci_features as plain loops (catalog: src/features/catalog/fibonacci.ts): for every bar, scan
 * the W bars ending at it for the highest high_index and the lowest low_index, then the five levels.
 */
import { FIB_LEVELS, FIB_WINDOWS, fibLevelTag } from '../../../src/features/catalog/fibonacci.ts';
import type { Row } from './bqxReference.ts';

export interface FibBar {
  rate_index: number | null;
  high_index: number | null;
  low_index: number | null;
}

export function fibonacciReference(bars: FibBar[]): Row[] {
  return bars.map((b, t) => {
    const row: Row = {};
    const I = b.rate_index;
    const cands: Array<{ d: number; r: number }> = [];
    let longestOk = false;
    for (const W of FIB_WINDOWS) {
      let H = -Infinity;
      let L = Infinity;
      let ok = t >= W - 1 && I !== null;
      for (let i = t - W + 1; ok && i <= t; i++) {
        const h = bars[i].high_index;
        const l = bars[i].low_index;
        if (h === null || l === null) ok = false;
        else {
          H = Math.max(H, h);
          L = Math.min(L, l);
        }
      }
      for (const r of FIB_LEVELS) {
        const d = ok ? (I! - (H - r * (H - L))) / I! : null;
        row[`fib_dist_${fibLevelTag(r)}_${W}`] = d;
        if (d !== null) cands.push({ d, r });
      }
      row[`fib_position_${W}`] = ok && H !== L ? (I! - L) / (H - L) : null;
      if (W === Math.max(...FIB_WINDOWS)) longestOk = ok;
    }
    let best: { d: number; r: number } | null = null;
    for (const c of cands) if (best === null || Math.abs(c.d) < Math.abs(best.d)) best = c;
    row.fib_nearest_dist = longestOk && best ? best.d : null;
    row.fib_nearest_level = longestOk && best ? best.r : null;
    return row;
  });
}
