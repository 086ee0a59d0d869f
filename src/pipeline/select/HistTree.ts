/**
 * One regression tree of the histogram random forest, grown depth-first on pre-binned features
 * (binning.ts). Each node's split search reads per-feature histograms of (weight, weight * y) over
 * its bins; the larger child's histograms are the parent's minus the smaller child's, so each level
 * costs about half a pass over the rows per feature. Bootstrap duplicates are weights, not copies.
 * Split gain is the reduction of the weighted squared error, SL^2/NL + SR^2/NR - S^2/N, also
 * accumulated per feature as the impurity importance.
 */
import { Prng } from '../../synth/prng.ts';

export interface TreeParams {
  maxDepth: number;
  /** Smallest (weighted) number of rows in a leaf. */
  minLeaf: number;
  /** Share of the features one tree may split on (drawn per tree, like ml-random-forest's maxFeatures). */
  maxFeatures: number;
  bins: number;
}

export interface Tree {
  /** Per node: the feature split on (-1 at a leaf), the bin threshold (left when bin <= it), children, value. */
  feature: Int32Array;
  threshold: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** The features this tree could split on. */
  features: Int32Array;
}

export interface TrainData {
  rows: number;
  features: number;
  /** Column-major bins: feature f of row i at f * rows + i. */
  bins: Uint8Array;
  y: Float64Array;
}

/** Grows tree number `index` of a forest seeded `seed`; adds its split gains to `importance`. */
export function growTree(d: TrainData, p: TreeParams, seed: number, index: number, importance: Float64Array): Tree {
  const rng = new Prng(seed, `tree-${index}`);
  const n = d.rows;
  // bootstrap: n draws with replacement, as counts
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) w[Math.floor(rng.next() * n)] += 1;
  let m = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) m++;
  // the node's rows, with their weight and weight * y kept beside them (permuted together), so a
  // histogram pass reads only the bins at random
  const idx = new Uint32Array(m);
  const W = new Float64Array(m);
  const WY = new Float64Array(m);
  for (let i = 0, k = 0; i < n; i++)
    if (w[i] > 0) {
      idx[k] = i;
      W[k] = w[i];
      WY[k] = w[i] * d.y[i];
      k++;
    }
  const tIdx = new Uint32Array(m);
  const tW = new Float64Array(m);
  const tWY = new Float64Array(m);
  // feature bagging for the tree
  const F = Math.max(1, Math.min(d.features, Math.round(d.features * p.maxFeatures)));
  const all = Int32Array.from({ length: d.features }, (_, i) => i);
  for (let i = 0; i < F; i++) {
    const j = i + Math.floor(rng.next() * (d.features - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  const feats = all.slice(0, F).sort();
  const B = p.bins;
  const size = F * B;
  const pool: Array<[Float64Array, Float64Array, Float64Array, Float64Array]> = [];
  for (let l = 0; l <= p.maxDepth + 1; l++)
    pool.push([new Float64Array(size), new Float64Array(size), new Float64Array(size), new Float64Array(size)]);

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];

  const histogram = (lo: number, hi: number, cnt: Float64Array, sum: Float64Array) => {
    cnt.fill(0);
    sum.fill(0);
    const bins = d.bins;
    // four features per pass over the node's rows: the row index, weight and weight * y are read once
    // for four histograms (the passes are bound by these reads, not by the additions)
    let fi = 0;
    for (; fi + 4 <= F; fi += 4) {
      const o0 = feats[fi] * n;
      const o1 = feats[fi + 1] * n;
      const o2 = feats[fi + 2] * n;
      const o3 = feats[fi + 3] * n;
      const b0 = fi * B;
      const b1 = b0 + B;
      const b2 = b1 + B;
      const b3 = b2 + B;
      for (let k = lo; k < hi; k++) {
        const i = idx[k];
        const w = W[k];
        const wy = WY[k];
        let b = b0 + bins[o0 + i];
        cnt[b] += w;
        sum[b] += wy;
        b = b1 + bins[o1 + i];
        cnt[b] += w;
        sum[b] += wy;
        b = b2 + bins[o2 + i];
        cnt[b] += w;
        sum[b] += wy;
        b = b3 + bins[o3 + i];
        cnt[b] += w;
        sum[b] += wy;
      }
    }
    for (; fi < F; fi++) {
      const off = feats[fi] * n;
      const base = fi * B;
      for (let k = lo; k < hi; k++) {
        const b = base + bins[off + idx[k]];
        cnt[b] += W[k];
        sum[b] += WY[k];
      }
    }
  };

  const grow = (lo: number, hi: number, depth: number, cnt: Float64Array, sum: Float64Array): number => {
    const node = feature.length;
    let N = 0;
    let S = 0;
    for (let b = 0; b < B; b++) {
      N += cnt[b];
      S += sum[b];
    }
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(N > 0 ? S / N : 0);
    if (depth >= p.maxDepth || N < 2 * p.minLeaf) return node;
    let bestGain = 0;
    let bestF = -1;
    let bestB = 0;
    const parent = (S * S) / N;
    for (let fi = 0; fi < F; fi++) {
      const base = fi * B;
      let nl = 0;
      let sl = 0;
      for (let b = 0; b < B - 1; b++) {
        nl += cnt[base + b];
        sl += sum[base + b];
        const nr = N - nl;
        if (nl < p.minLeaf) continue;
        if (nr < p.minLeaf) break;
        const sr = S - sl;
        const gain = (sl * sl) / nl + (sr * sr) / nr - parent;
        if (gain > bestGain) {
          bestGain = gain;
          bestF = fi;
          bestB = b;
        }
      }
    }
    // a gain at rounding level is no split (sums of squares of ~1e-4 targets are ~1e-8 per row)
    if (bestF < 0 || bestGain <= 1e-12 * Math.abs(parent) + Number.MIN_VALUE) return node;
    const f = feats[bestF];
    importance[f] += bestGain;
    // stable partition of idx[lo, hi) into bin <= bestB | bin > bestB: rows stay in ascending order
    // within every node, so the histogram passes read each feature column front to back (a random
    // order would miss the cache on nearly every row)
    const off = f * n;
    let a = lo;
    let z = 0;
    for (let k = lo; k < hi; k++) {
      const i = idx[k];
      if (d.bins[off + i] <= bestB) {
        idx[a] = i;
        W[a] = W[k];
        WY[a] = WY[k];
        a++;
      } else {
        tIdx[z] = i;
        tW[z] = W[k];
        tWY[z] = WY[k];
        z++;
      }
    }
    idx.set(tIdx.subarray(0, z), a);
    W.set(tW.subarray(0, z), a);
    WY.set(tWY.subarray(0, z), a);
    const mid = a;
    const [lc, ls, rc, rs] = pool[depth + 1];
    if (mid - lo <= hi - mid) {
      histogram(lo, mid, lc, ls);
      for (let k = 0; k < size; k++) {
        rc[k] = cnt[k] - lc[k];
        rs[k] = sum[k] - ls[k];
      }
    } else {
      histogram(mid, hi, rc, rs);
      for (let k = 0; k < size; k++) {
        lc[k] = cnt[k] - rc[k];
        ls[k] = sum[k] - rs[k];
      }
    }
    feature[node] = f;
    threshold[node] = bestB;
    left[node] = grow(lo, mid, depth + 1, lc, ls);
    right[node] = grow(mid, hi, depth + 1, rc, rs);
    return node;
  };

  const [c0, s0] = pool[0];
  histogram(0, m, c0, s0);
  grow(0, m, 0, c0, s0);
  return {
    feature: Int32Array.from(feature),
    threshold: Uint8Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    features: feats,
  };
}

/** Predicts rows of a column-major binned matrix with one tree. */
export function predictTree(t: Tree, bins: Uint8Array, rows: number, out: Float64Array, add = false): void {
  for (let i = 0; i < rows; i++) {
    let node = 0;
    while (t.left[node] >= 0) node = bins[t.feature[node] * rows + i] <= t.threshold[node] ? t.left[node] : t.right[node];
    if (add) out[i] += t.value[node];
    else out[i] = t.value[node];
  }
}
