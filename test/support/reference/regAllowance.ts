/**
 * Comparison options for reg_rate / reg_bqx rows (spec section 9): residual_mean judged on the residuals'
 * scale, and the ratios (vertex_x = -a1/(2 a2), vertex_y, extrapolation_error) by the error their inputs
 * allow; the vertex's NULL threshold may fall either side within rounding.
 */
import type { Row } from './bqxReference.ts';
import { type CompareOptions, medianAbs } from './compare.ts';

export function regCompareOptions(expected: Row[], tag: 'idx' | 'bqx', rel: number): CompareOptions {
  const names = ['w15', 'w30', 'w45', 'w60', 'w75', 'agg'];
  const scale: Record<string, number> = {};
  for (const n of names) scale[`residual_mean_${tag}_${n}`] = medianAbs(expected, `rmse_${tag}_${n}`);
  const scales = new Map<string, number>();
  const S = (c: string) => scales.get(c) ?? scales.set(c, medianAbs(expected, c)).get(c)!;
  return {
    rel,
    scale,
    allowance: (col: string, i: number, e: number) => {
      const m = /^(vertex_x|vertex_y|extrapolation_error)_(idx|bqx)_(\w+)$/.exec(col);
      if (!m) return undefined;
      const n = m[3];
      const r = expected[i];
      const relOf = (c: string) => Math.max(Math.abs(r[c] as number), S(c)) / Math.abs(r[c] as number);
      if (m[1] === 'extrapolation_error') return rel * Math.abs(e) * (relOf(`residual_std_${tag}_${n}`) + relOf(`prediction_${tag}_${n}`));
      const a1 = relOf(`a1_${tag}_${n}`);
      const a2 = relOf(`a2_${tag}_${n}`);
      if (m[1] === 'vertex_x') return rel * Math.abs(e) * (a1 + a2);
      return (
        rel *
        (Math.abs((r[`a1_${tag}_${n}`] as number) ** 2 / (4 * (r[`a2_${tag}_${n}`] as number))) * (2 * a1 + a2) +
          Math.max(Math.abs(r[`b_${tag}_${n}`] as number), S(`b_${tag}_${n}`)))
      );
    },
    nullOk: (col: string, i: number) => {
      const m = /^vertex_[xy]_(idx|bqx)_(\w+)$/.exec(col);
      if (!m) return false;
      const W = m[2] === 'agg' ? 90 : Number(m[2].slice(1));
      const a2 = Math.abs(expected[i][`a2_${tag}_${m[2]}`] as number) * (W - 1) ** 2;
      const lim = 1e-12 * Math.abs(expected[i][`b_${tag}_${m[2]}`] as number);
      return Math.abs(a2 - lim) <= 0.01 * lim;
    },
  };
}
