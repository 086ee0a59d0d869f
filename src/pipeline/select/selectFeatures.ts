/**
 * Stage 6: feature selection (spec section 7). A histogram random forest (100 trees, depth 10 by
 * default) is fit on a deterministic sample of the train split, target d_bqx_w60_{h}; the top N
 * features by impurity importance are selected. Reported beside it: permutation importance of the
 * selected features on a validation sample (the drop in the forest's R^2 when the feature's values
 * are shuffled) and the ranking's stability across bootstrap seeds (the forest's trees split into
 * disjoint groups, each group a forest of its own seeds: mean pairwise Spearman of their importance
 * and Jaccard overlap of their top-N sets).
 */
import { Prng } from '../../synth/prng.ts';
import type { DuckSession } from '../DuckSession.ts';
import { splitSource } from '../splitSource.ts';
import { loadBinned, loadColumn } from './loadBinned.ts';
import { r2 } from './r2.ts';
import { jaccard, meanPairwise, spearman, topN } from './rankStats.ts';
import { DEFAULT_FOREST, type Forest, impurityImportance, trainForest } from './trainForest.ts';
import { predictWithout, type TreeRows, treeRows } from './treeRows.ts';

export interface SelectOptions {
  top: number;
  trees: number;
  maxDepth: number;
  seed: number;
  /** Train rows the forest is fit on (a deterministic sample when the split is larger). */
  sampleRows: number;
  /** Validation rows permutation importance is measured on. */
  permutationRows: number;
  workers: number;
  /** Disjoint groups of trees the stability is measured across. */
  stabilityGroups: number;
}

export interface FeatureImportance {
  feature: string;
  impurity: number;
  rank: number;
  /** R^2 drop on validation when shuffled (selected features only). */
  permutation?: number;
}

export interface SelectionResult {
  target: string;
  trainRows: number;
  validationRows: number;
  forest: { trees: number; maxDepth: number; minLeaf: number; maxFeatures: number; bins: number; seed: number };
  /** The forest's R^2 on the validation sample (what permutation importance is measured against). */
  validationR2: number;
  ranking: FeatureImportance[];
  selected: string[];
  stability: { groups: number; treesPerGroup: number; spearman: number; jaccardTopN: number };
  seconds: { load: number; train: number; permutation: number };
}

/** The drop in R^2 when one feature's bins are shuffled, recomputing only the trees that split on it. */
function permutationDrop(
  forest: Forest,
  perTree: TreeRows[],
  sum: Float64Array,
  bins: Uint8Array,
  rows: number,
  f: number,
  y: Float64Array,
  base: number,
  rng: Prng,
): number {
  const col = bins.subarray(f * rows, (f + 1) * rows);
  const saved = col.slice();
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = col[i];
    col[i] = col[j];
    col[j] = t;
  }
  const pred = sum.slice();
  const tmp = new Float64Array(rows);
  for (let t = 0; t < forest.trees.length; t++) {
    const tree = forest.trees[t];
    if (!tree.feature.includes(f)) continue;
    predictWithout(tree, perTree[t], bins, rows, f, tmp);
    const p = perTree[t].prediction;
    for (let i = 0; i < rows; i++) pred[i] += tmp[i] - p[i];
  }
  col.set(saved);
  const n = forest.trees.length;
  for (let i = 0; i < rows; i++) pred[i] /= n;
  return base - r2(y, pred);
}

export async function selectFeatures(
  duck: DuckSession,
  files: { train: string[]; validation: string[] },
  features: string[],
  target: string,
  o: SelectOptions,
): Promise<SelectionResult> {
  const t0 = performance.now();
  const trainSrc = await splitSource(duck, files.train, { rows: o.sampleRows, seed: o.seed });
  const valSrc = await splitSource(duck, files.validation, { rows: o.permutationRows, seed: o.seed });
  const train = await loadBinned(duck, trainSrc, features);
  const y = await loadColumn(duck, trainSrc, target, train);
  const val = await loadBinned(duck, valSrc, features, train.cuts);
  const yv = await loadColumn(duck, valSrc, target, val);
  const t1 = performance.now();
  const opts = { ...DEFAULT_FOREST, trees: o.trees, maxDepth: o.maxDepth, seed: o.seed, workers: o.workers };
  const forest = await trainForest(train.rows, train.features, train.bins, y, opts);
  const t2 = performance.now();
  const imp = impurityImportance(forest);
  const order = topN(imp, features.length);
  const selected = order.slice(0, Math.min(o.top, features.length));
  // permutation importance of the selected features on validation
  const perTree = forest.trees.map((tree) => treeRows(tree, val.bins, val.rows));
  const sum = new Float64Array(val.rows);
  for (const { prediction: p } of perTree) for (let i = 0; i < val.rows; i++) sum[i] += p[i];
  const base = r2(
    yv,
    sum.map((v) => v / forest.trees.length),
  );
  const rng = new Prng(o.seed, 'permutation');
  const perm = new Map<number, number>();
  for (const f of selected) perm.set(f, permutationDrop(forest, perTree, sum, val.bins, val.rows, f, yv, base, rng));
  const t3 = performance.now();
  // stability across bootstrap seeds: disjoint groups of trees
  const groups = Math.max(2, Math.min(o.stabilityGroups, forest.trees.length));
  const per = Math.floor(forest.trees.length / groups);
  const groupImp = Array.from({ length: groups }, (_, g) => impurityImportance(forest, g * per, (g + 1) * per));
  const k = selected.length;
  return {
    target,
    trainRows: train.rows,
    validationRows: val.rows,
    forest: {
      trees: opts.trees,
      maxDepth: opts.maxDepth,
      minLeaf: opts.minLeaf,
      maxFeatures: opts.maxFeatures,
      bins: opts.bins,
      seed: o.seed,
    },
    validationR2: base,
    ranking: order.map((f, r) => ({
      feature: features[f],
      impurity: imp[f],
      rank: r + 1,
      ...(perm.has(f) ? { permutation: perm.get(f) } : {}),
    })),
    selected: selected.map((f) => features[f]),
    stability: {
      groups,
      treesPerGroup: per,
      spearman: meanPairwise(groupImp, spearman),
      jaccardTopN: meanPairwise(
        groupImp.map((g) => topN(g, k)),
        jaccard,
      ),
    },
    seconds: { load: (t1 - t0) / 1000, train: (t2 - t1) / 1000, permutation: (t3 - t2) / 1000 },
  };
}
