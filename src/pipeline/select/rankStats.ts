/** Rank statistics for importance vectors: ranks, Spearman correlation, top-N sets and their overlap. */

/** Ranks 1..n (1 = largest value), ties broken by index so the ranking is deterministic. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const r = new Float64Array(values.length);
  order.forEach((i, k) => {
    r[i] = k + 1;
  });
  return r;
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (ra[i] - rb[i]) ** 2;
  return n > 1 ? 1 - (6 * d2) / (n * (n * n - 1)) : 1;
}

export function topN(values: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, n);
}

export function jaccard(a: number[], b: number[]): number {
  const sa = new Set(a);
  const inter = b.filter((x) => sa.has(x)).length;
  const union = new Set([...a, ...b]).size;
  return union ? inter / union : 1;
}

/** Mean of a statistic over every pair of the given vectors. */
export function meanPairwise<T>(items: T[], stat: (a: T, b: T) => number): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      s += stat(items[i], items[j]);
      k++;
    }
  return k ? s / k : 1;
}
