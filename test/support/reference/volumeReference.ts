/**
 * Independent reference for volume_features, straight from the catalog's definitions: for each bar and
 * window, plain loops over the W bars ending at t; two-pass population moments; flat = all values equal.
 */
import type { Row } from './bqxReference.ts';

type Num = number | null;
const WINDOWS = [5, 15, 30, 60, 120];

function moments(a: number[]) {
  const n = a.length;
  // two passes over the deviations from the first value (exact differences of nearby floats): a float
  // near 100 cannot hold the mean closer than eps * 100, which a near-flat window's sigma amplifies
  const a0 = a[0];
  const md = a.reduce((s, v) => s + (v - a0), 0) / n;
  const dev = (v: number) => v - a0 - md;
  const variance = a.reduce((s, v) => s + dev(v) ** 2, 0) / n;
  return { mean: a0 + md, dev, variance, flat: a.every((v) => v === a[0]) };
}

function corr(a: number[], b: number[]): Num {
  const A = moments(a);
  const B = moments(b);
  if (A.flat || B.flat) return null;
  let c = 0;
  for (let i = 0; i < a.length; i++) c += A.dev(a[i]) * B.dev(b[i]);
  return c / a.length / Math.sqrt(A.variance * B.variance);
}

function domainColumns(p: 'rate' | 'bqx', y: Num[], v: Num[], t: number, W: number, row: Row, close?: number[]): void {
  const names =
    p === 'rate'
      ? ['vwap_dev', 'pv_corr', 'vm_div', 'updown_ratio', 'imbalance', 'vol_cv', 'vol_trend']
      : ['vwap_dev', 'pv_corr', 'vm_div', 'updown_ratio', 'imbalance', 'signed_delta'];
  for (const n of names) row[`${p}_${n}_${W}`] = null;
  if (t < W) return;
  const ys = y.slice(t - W, t + 1); // W + 1 values: dy needs the bar before the window
  const vs = v.slice(t - W + 1, t + 1);
  if (ys.some((x) => x === null) || vs.some((x) => x === null)) return;
  const Y = (ys as number[]).slice(1);
  const V = vs as number[];
  const dy = Y.map((x, i) => x - (ys as number[])[i]);
  // rate domain: |close change| on the 1e-8 grid (|dI| up to the factor 100 / B, which corr ignores)
  const ady = close ? dy.map((_, i) => Math.round(Math.abs(close[t - W + 1 + i] - close[t - W + i]) * 1e8) / 1e8) : dy.map(Math.abs);
  const yt = Y[W - 1];
  const vt = V[W - 1];
  let sv = 0,
    svy = 0,
    up = 0,
    dn = 0,
    sg = 0;
  for (let i = 0; i < W; i++) {
    sv += V[i];
    svy += V[i] * (Y[i] - yt);
    if (dy[i] > 0) up += V[i];
    if (dy[i] < 0) dn += V[i];
    sg += Math.sign(dy[i]) * V[i];
  }
  const my = moments(Y);
  const mv = moments(V);
  // sum(v (y - y(t))) / sum(v) is VWAP - y(t) without rounding VWAP itself: a float near 100 is only
  // good to eps * 100, which the near-flat windows' tiny deviations (and so their median) would magnify
  if (sv !== 0) row[`${p}_vwap_dev_${W}`] = p === 'rate' ? svy / sv / yt : svy / sv;
  row[`${p}_pv_corr_${W}`] = corr(ady, V);
  row[`${p}_vm_div_${W}`] = my.flat || mv.flat ? null : my.dev(yt) / Math.sqrt(my.variance) - mv.dev(vt) / Math.sqrt(mv.variance);
  row[`${p}_updown_ratio_${W}`] = dn === 0 ? null : up / dn;
  row[`${p}_imbalance_${W}`] = sv === 0 ? null : (up - dn) / sv;
  if (p === 'rate') {
    const mean = sv / W;
    row[`rate_vol_cv_${W}`] = mean === 0 ? null : (mv.flat ? 0 : Math.sqrt(mv.variance)) / mean;
    // OLS slope of v on k = 0..W-1, by the textbook formula
    const kMean = (W - 1) / 2;
    let num = 0,
      den = 0;
    for (let k = 0; k < W; k++) {
      num += (k - kMean) * mv.dev(V[k]);
      den += (k - kMean) ** 2;
    }
    row[`rate_vol_trend_${W}`] = mean === 0 ? null : (mv.flat ? 0 : num / den) / mean;
  } else {
    row[`bqx_signed_delta_${W}`] = sg;
  }
}

export function volumeReference(I: Num[], x: Num[], v: Num[], close: number[]): Row[] {
  return I.map((_, t) => {
    const row: Row = {};
    for (const W of WINDOWS) {
      domainColumns('rate', I, v, t, W, row, close);
      domainColumns('bqx', x, v, t, W, row);
      // spike: v(t) against the W bars before t
      row[`bqx_vol_spike_${W}`] = null;
      if (t >= W && v[t] !== null) {
        const before = v.slice(t - W, t);
        if (before.every((z) => z !== null)) {
          // v > mean + 2 std, decided exactly on integer volumes (the threshold is often hit exactly)
          const b = (before as number[]).map(BigInt);
          const sum = b.reduce((a, x) => a + x, 0n);
          const d = BigInt(W) * BigInt(v[t] as number) - sum;
          const q = BigInt(W) * b.reduce((a, x) => a + x * x, 0n) - sum * sum;
          if (!moments(before as number[]).flat) row[`bqx_vol_spike_${W}`] = d > 0n && d * d > 4n * q ? 1 : 0;
        }
      }
    }
    return row;
  });
}
