/**
 * Trains the histogram random forest: trees are independent (each its own seeded bootstrap and
 * feature subset), so they are spread over worker threads that share the binned matrix; with
 * workers = 0 they grow in this thread (small data, tests). The result does not depend on the number
 * of workers: tree t is always grown from seed (seed, t).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ForestJob } from './forestWorker.ts';
import { growTree, predictTree, type Tree, type TreeParams } from './HistTree.ts';

export interface Forest {
  trees: Tree[];
  /** Per tree, its split gains per feature (impurity importance before normalising). */
  gains: Float64Array[];
  features: number;
}

export interface ForestOptions extends TreeParams {
  trees: number;
  seed: number;
  workers?: number;
}

export const DEFAULT_FOREST: Omit<ForestOptions, 'seed'> = { trees: 100, maxDepth: 10, minLeaf: 5, maxFeatures: 1 / 3, bins: 64 };

function shared<T extends Uint8Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

export async function trainForest(rows: number, features: number, bins: Uint8Array, y: Float64Array, o: ForestOptions): Promise<Forest> {
  const params: TreeParams = { maxDepth: o.maxDepth, minLeaf: o.minLeaf, maxFeatures: o.maxFeatures, bins: o.bins };
  const trees: Tree[] = new Array(o.trees);
  const gains: Float64Array[] = new Array(o.trees);
  const workers = Math.min(o.workers ?? os.availableParallelism(), o.trees);
  if (workers <= 0) {
    for (let t = 0; t < o.trees; t++) {
      gains[t] = new Float64Array(features);
      trees[t] = growTree({ rows, features, bins, y }, params, o.seed, t, gains[t]);
    }
    return { trees, gains, features };
  }
  const sb = shared(bins);
  const sy = shared(y);
  const jobs = Array.from({ length: workers }, (_, w) => Array.from({ length: o.trees }, (_, t) => t).filter((t) => t % workers === w));
  await Promise.all(
    jobs.map(
      (list) =>
        new Promise<void>((resolve, reject) => {
          const job: ForestJob = { rows, features, bins: sb, y: sy, params, seed: o.seed, trees: list };
          const worker = new Worker(new URL('./forestWorker.mjs', import.meta.url), { workerData: job });
          let done = 0;
          worker.on('message', (m: { index: number; tree: Tree; importance: Float64Array }) => {
            trees[m.index] = m.tree;
            gains[m.index] = m.importance;
            if (++done === list.length) worker.terminate().then(() => resolve(), reject);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (done < list.length) reject(new Error(`forest worker exited (${code}) after ${done} of ${list.length} trees`));
          });
        }),
    ),
  );
  return { trees, gains, features };
}

/** Mean prediction of the forest (or of trees [from, to)) on a column-major binned matrix. */
export function predictForest(f: Forest, bins: Uint8Array, rows: number, from = 0, to = f.trees.length): Float64Array {
  const out = new Float64Array(rows);
  for (let t = from; t < to; t++) predictTree(f.trees[t], bins, rows, out, true);
  for (let i = 0; i < rows; i++) out[i] /= to - from;
  return out;
}

/** Impurity importance per feature over trees [from, to), normalised to sum 1. */
export function impurityImportance(f: Forest, from = 0, to = f.trees.length): Float64Array {
  const imp = new Float64Array(f.features);
  for (let t = from; t < to; t++) for (let j = 0; j < f.features; j++) imp[j] += f.gains[t][j];
  const total = imp.reduce((a, b) => a + b, 0);
  if (total > 0) for (let j = 0; j < imp.length; j++) imp[j] /= total;
  return imp;
}
