/**
 * Where the rows of a binned matrix end in one tree, grouped by node, for permutation importance: a
 * row's prediction depends on a feature only if its path meets a split on it, so shuffling the feature
 * needs only those rows walked again (about one in twenty), not all of them (the permutation stage was
 * 11 s of the demo's selection, nearly all of it walking rows whose leaf could not change).
 */
import type { Tree } from './HistTree.ts';

export interface TreeRows {
  /** Each row's prediction (its leaf's value): what predictTree gives. */
  prediction: Float64Array;
  /** The rows through node n are order[start[n]] .. order[start[end[n]] - 1]. */
  order: Int32Array;
  start: Int32Array;
  /** Nodes are numbered in pre-order (HistTree's grow), so node n's subtree is the ids [n, end[n]). */
  end: Int32Array;
}

export function treeRows(t: Tree, bins: Uint8Array, rows: number): TreeRows {
  const nodes = t.left.length;
  const leaf = new Int32Array(rows);
  const prediction = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let node = 0;
    while (t.left[node] >= 0) node = bins[t.feature[node] * rows + i] <= t.threshold[node] ? t.left[node] : t.right[node];
    leaf[i] = node;
    prediction[i] = t.value[node];
  }
  // the rows sorted by leaf (a counting sort), so a subtree's rows are one run of them
  const start = new Int32Array(nodes + 1);
  for (let i = 0; i < rows; i++) start[leaf[i] + 1]++;
  for (let n = 0; n < nodes; n++) start[n + 1] += start[n];
  const order = new Int32Array(rows);
  const next = start.slice(0, nodes);
  for (let i = 0; i < rows; i++) order[next[leaf[i]]++] = i;
  const end = new Int32Array(nodes);
  for (let n = nodes - 1; n >= 0; n--) end[n] = t.left[n] < 0 ? n + 1 : end[t.right[n]];
  return { prediction, order, start, end };
}

/**
 * The tree's predictions with feature f's bins replaced (`bins` holds the shuffled column): every row
 * as `r.prediction` except those through a split on f, walked again from the topmost such split (the
 * path above it reads other features only). The values are those of predictTree on the same bins.
 */
export function predictWithout(t: Tree, r: TreeRows, bins: Uint8Array, rows: number, f: number, out: Float64Array): void {
  out.set(r.prediction);
  for (let n = 0; n < t.left.length; ) {
    if (t.feature[n] !== f) {
      n++;
      continue;
    }
    for (let k = r.start[n]; k < r.start[r.end[n]]; k++) {
      const i = r.order[k];
      let node = n;
      while (t.left[node] >= 0) node = bins[t.feature[node] * rows + i] <= t.threshold[node] ? t.left[node] : t.right[node];
      out[i] = t.value[node];
    }
    n = r.end[n];
  }
}
