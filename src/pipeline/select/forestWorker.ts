/**
 * Body of a forest worker thread: grows the trees it is given over the shared, pre-binned training
 * matrix (SharedArrayBuffer, not copied) and posts them back with their split gains per feature.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { growTree, type TreeParams } from './HistTree.ts';

export interface ForestJob {
  rows: number;
  features: number;
  bins: Uint8Array;
  y: Float64Array;
  params: TreeParams;
  seed: number;
  trees: number[];
}

const job = workerData as ForestJob;
const data = { rows: job.rows, features: job.features, bins: job.bins, y: job.y };
for (const t of job.trees) {
  const importance = new Float64Array(job.features);
  const tree = growTree(data, job.params, job.seed, t, importance);
  // the tree's arrays are this thread's own (not shared): transfer them instead of copying
  const own = [tree.feature, tree.threshold, tree.left, tree.right, tree.value, tree.features, importance].map(
    (a) => a.buffer as ArrayBuffer,
  );
  parentPort!.postMessage({ index: t, tree, importance }, own);
}
