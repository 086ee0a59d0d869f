/**
 * Independent reference for reg_rate / reg_bqx (spec section 5): for every bar and window, a direct
 * least-squares fit of y = a2 k^2 + a1 k + b over k = 0..W-1 by Householder QR of the W x 3 design
 * matrix (no normal equations, no rolling sums), then every metric from the residuals themselves.
 */
import { REG_METRICS, REG_WINDOWS } from '../../../src/features/catalog/reg.ts';
import type { Row } from './bqxReference.ts';

/** Least squares min |A x - y| for A = [1, k, k^2] by Householder QR; returns [b, a1, a2]. */
export function lstsqQuadratic(y: number[]): [number, number, number] {
  const W = y.length;
  const A = Array.from({ length: W }, (_, k) => [1, k, k * k]);
  const rhs = [...y];
  for (let j = 0; j < 3; j++) {
    let norm = 0;
    for (let i = j; i < W; i++) norm += A[i][j] * A[i][j];
    norm = Math.sqrt(norm);
    const alpha = A[j][j] > 0 ? -norm : norm;
    const v = new Array(W).fill(0);
    for (let i = j; i < W; i++) v[i] = A[i][j];
    v[j] -= alpha;
    let vv = 0;
    for (let i = j; i < W; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    for (let c = j; c < 3; c++) {
      let dot = 0;
      for (let i = j; i < W; i++) dot += v[i] * A[i][c];
      const f = (2 * dot) / vv;
      for (let i = j; i < W; i++) A[i][c] -= f * v[i];
    }
    let dot = 0;
    for (let i = j; i < W; i++) dot += v[i] * rhs[i];
    const f = (2 * dot) / vv;
    for (let i = j; i < W; i++) rhs[i] -= f * v[i];
  }
  const x = [0, 0, 0];
  for (let j = 2; j >= 0; j--) {
    let s = rhs[j];
    for (let c = j + 1; c < 3; c++) s -= A[j][c] * x[c];
    x[j] = s / A[j][j];
  }
  return [x[0], x[1], x[2]];
}

export function regReference(y: Array<number | null>, tag: 'idx' | 'bqx'): Row[] {
  const out: Row[] = [];
  for (let t = 0; t < y.length; t++) {
    const row: Row = {};
    for (const { name, bars: W } of REG_WINDOWS) {
      const col = (m: string) => `${m}_${tag}_${name}`;
      const win = t >= W - 1 ? y.slice(t - W + 1, t + 1) : [];
      if (win.length !== W || win.some((v) => v === null)) {
        for (const m of REG_METRICS) row[col(m)] = null;
        continue;
      }
      const v = win as number[];
      const max = Math.max(...v);
      const min = Math.min(...v);
      const flat = max === min;
      const [b, a1, a2] = flat ? [v[0], 0, 0] : lstsqQuadratic(v);
      const fitted = v.map((_, k) => a2 * k * k + a1 * k + b);
      const res = v.map((yk, k) => yk - fitted[k]);
      const mean = v.reduce((s, x) => s + x, 0) / W;
      const ssTot = v.reduce((s, x) => s + (x - mean) ** 2, 0);
      const ssRes = res.reduce((s, r) => s + r * r, 0);
      const resMean = res.reduce((s, r) => s + r, 0) / W;
      const resStd = Math.sqrt(res.reduce((s, r) => s + (r - resMean) ** 2, 0) / W);
      const pred = fitted[W - 1];
      const r2 = flat ? null : 1 - ssRes / ssTot;
      const maxAbs = Math.max(Math.abs(max), Math.abs(min));
      const curved = Math.abs(a2) * (W - 1) ** 2 > 1e-12 * maxAbs;
      const vx = curved ? -a1 / (2 * a2) : null;
      row[col('a2')] = a2;
      row[col('a1')] = a1;
      row[col('b')] = b;
      row[col('r2')] = r2;
      row[col('rmse')] = Math.sqrt(ssRes / W);
      row[col('residual_mean')] = resMean;
      row[col('residual_std')] = resStd;
      row[col('prediction')] = pred;
      row[col('pi_lower')] = pred - 1.96 * resStd;
      row[col('pi_upper')] = pred + 1.96 * resStd;
      row[col('vertex_x')] = vx;
      row[col('vertex_y')] = vx === null ? null : a2 * vx * vx + a1 * vx + b;
      row[col('curvature')] = Math.abs(a2);
      row[col('fit_quality')] = r2 === null ? null : Math.min(Math.max(r2, 0), 1);
      row[col('extrapolation_error')] = pred === 0 ? null : resStd / Math.abs(pred);
    }
    out.push(row);
  }
  return out;
}
