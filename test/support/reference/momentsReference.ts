/**
 * Independent reference for bollinger_* and statistics_* (spec section 4): for each bar and window, the
 * W values ending at t, two-pass population moments (mean first, then powers of deviations), plain loops.
 */
import type { Row } from './bqxReference.ts';

function windowStats(v: number[]) {
  const W = v.length;
  // Two passes over the deviations from the window's first value (exact differences of nearby floats): the
  // plain mean of values near 100 is off by about eps * 100, a float near 100 cannot even hold the mean
  // closer than that, and on a near-flat window (sigma a few 1e-4) that moves skew and kurtosis by 1e-9.
  const v0 = v[0];
  const md = v.reduce((a, b) => a + (b - v0), 0) / W;
  const mean = v0 + md;
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  for (const x of v) {
    const d = x - v0 - md;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  return { mean, dev: (x: number) => x - v0 - md, m2: m2 / W, m3: m3 / W, m4: m4 / W, min: Math.min(...v), max: Math.max(...v) };
}

export function momentsReference(y: Array<number | null>, kind: 'bollinger' | 'statistics', domain: 'rate' | 'bqx'): Row[] {
  const windows = kind === 'bollinger' ? [20, 50] : [20, 50, 120];
  return y.map((yt, t) => {
    const row: Row = {};
    for (const W of windows) {
      const win = t >= W - 1 ? y.slice(t - W + 1, t + 1) : [];
      const names =
        kind === 'bollinger'
          ? ['bb_upper', 'bb_middle', 'bb_lower', 'bb_bandwidth', 'bb_percent_b']
          : ['mean', 'std', 'skew', 'kurt', 'min', 'max', 'range', 'zscore'];
      if (win.length !== W || win.some((v) => v === null) || yt === null) {
        for (const n of names) row[`${n}_${W}`] = null;
        continue;
      }
      const s = windowStats(win as number[]);
      const flat = s.max === s.min;
      const sd = flat ? 0 : Math.sqrt(s.m2);
      if (kind === 'bollinger') {
        const upper = s.mean + 2 * sd;
        const lower = s.mean - 2 * sd;
        row[`bb_upper_${W}`] = upper;
        row[`bb_middle_${W}`] = s.mean;
        row[`bb_lower_${W}`] = lower;
        row[`bb_bandwidth_${W}`] = domain === 'rate' ? (s.mean === 0 ? null : (upper - lower) / s.mean) : upper - lower;
        row[`bb_percent_b_${W}`] = flat ? null : (yt - lower) / (upper - lower);
      } else {
        row[`mean_${W}`] = s.mean;
        row[`std_${W}`] = sd;
        row[`skew_${W}`] = flat ? null : s.m3 / s.m2 ** 1.5;
        row[`kurt_${W}`] = flat ? null : s.m4 / (s.m2 * s.m2) - 3;
        row[`min_${W}`] = s.min;
        row[`max_${W}`] = s.max;
        row[`range_${W}`] = s.max - s.min;
        row[`zscore_${W}`] = flat ? null : s.dev(yt) / sd;
      }
    }
    return row;
  });
}
