/**
 * Population stability index and the two-sample Kolmogorov-Smirnov statistic of two histograms counted
 * on the same bins (bqx.feature_stats' fixed edges, or the dataset report's train quantiles).
 *
 * PSI = sum_i (q_i - p_i) ln(q_i / p_i) over the bins' shares p (baseline) and q (against); an empty bin
 * counts as a share of PSI_FLOOR (1e-4) in the logarithm's argument and the difference alike, the usual
 * convention, so a bin one side never visits adds a bounded term instead of infinity.
 * KS is max |P_k - Q_k| over the cumulative shares at the bin boundaries: the exact KS statistic of the
 * raw values evaluated at the edges only, so it is never above the exact one and falls short of it by at
 * most the largest share a single bin holds on either side (the histogram's resolution).
 */
export const PSI_FLOOR = 1e-4;
export const PSI_WATCH = 0.1;
export const PSI_DRIFT = 0.25;

export type Verdict = 'ok' | 'watch' | 'drift';

export function verdict(psi: number): Verdict {
  return psi > PSI_DRIFT ? 'drift' : psi > PSI_WATCH ? 'watch' : 'ok';
}

/** PSI and KS of two count vectors of the same length; null when either side has no values. */
export function psiKs(baseline: readonly number[], against: readonly number[]): { psi: number; ks: number } | null {
  if (baseline.length !== against.length) throw new Error(`histograms of ${baseline.length} and ${against.length} bins do not share edges`);
  const nb = baseline.reduce((a, b) => a + b, 0);
  const na = against.reduce((a, b) => a + b, 0);
  if (nb === 0 || na === 0) return null;
  let psi = 0;
  let ks = 0;
  let cb = 0;
  let ca = 0;
  for (let i = 0; i < baseline.length; i++) {
    const p = Math.max(baseline[i] / nb, PSI_FLOOR);
    const q = Math.max(against[i] / na, PSI_FLOOR);
    psi += (q - p) * Math.log(q / p);
    cb += baseline[i];
    ca += against[i];
    ks = Math.max(ks, Math.abs(cb / nb - ca / na));
  }
  return { psi, ks };
}

/** Counts of values on edges with width_bucket's convention (bin 0 below edges[0], bin i at or above edges[i-1]). */
export function countOnEdges(values: Iterable<number>, edges: readonly number[]): number[] {
  const out = new Array<number>(edges.length + 1).fill(0);
  for (const x of values) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    out[lo]++;
  }
  return out;
}
