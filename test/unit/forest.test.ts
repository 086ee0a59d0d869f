/**
 * The selection's histogram random forest (src/pipeline/select): binning against a plain count, trees
 * that find the informative features, the same forest whatever the number of worker threads, the
 * same ranking as ml-random-forest on data small enough for that library, and the rank statistics.
 */
import { RandomForestRegression } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { allocBinned, applyBins, binEdges } from '../../src/pipeline/select/binning.ts';
import { predictTree } from '../../src/pipeline/select/HistTree.ts';
import { r2 } from '../../src/pipeline/select/r2.ts';
import { jaccard, ranks, spearman, topN } from '../../src/pipeline/select/rankStats.ts';
import { impurityImportance, predictForest, trainForest } from '../../src/pipeline/select/trainForest.ts';
import { predictWithout, treeRows } from '../../src/pipeline/select/treeRows.ts';
import { Prng } from '../../src/synth/prng.ts';

/** y = 3 x0 + 2 x1^2 + x2 + noise; the other features are noise. Values on a grid of 1/8 (few distinct values, so ml-random-forest stays fast). */
function dataset(n: number, p: number, seed: number) {
  const rng = new Prng(seed);
  const X = Array.from({ length: p }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X[j][i] = Math.round(rng.gauss() * 8) / 8;
    y[i] = 3 * X[0][i] + 2 * X[1][i] * X[1][i] + X[2][i] + 0.5 * rng.gauss();
  }
  return { X, y };
}

function binned(X: Float64Array[], n: number) {
  const bins = allocBinned(n, X.length);
  X.forEach((x, j) => void applyBins(x, binEdges(x, 64, j + 1), bins.subarray(j * n, (j + 1) * n)));
  return bins;
}

describe('histogram random forest', () => {
  it('bins a value by the number of cut points below it, NULL to bin 0', () => {
    const rng = new Prng(5);
    const x = Float64Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? NaN : Math.round(rng.gauss() * 50) / 10));
    const cuts = binEdges(x, 64, 1);
    expect(cuts.length).toBeGreaterThan(30);
    expect(cuts.length).toBeLessThanOrEqual(62);
    for (let k = 1; k < cuts.length; k++) expect(cuts[k]).toBeGreaterThan(cuts[k - 1]);
    const out = new Uint8Array(x.length);
    applyBins(x, cuts, out);
    for (let i = 0; i < x.length; i++) {
      const expected = Number.isNaN(x[i]) ? 0 : 1 + [...cuts].filter((c) => c < x[i]).length;
      expect(out[i], `row ${i}`).toBe(expected);
    }
    // roughly equal-frequency bins: no bin holds more than 3 times its share (ties aside)
    const counts = new Map<number, number>();
    for (const b of out) counts.set(b, (counts.get(b) ?? 0) + 1);
    expect(Math.max(...[...counts].filter(([b]) => b > 0).map(([, c]) => c))).toBeLessThan((3 * x.length) / cuts.length + 200);
  });

  it('ranks the informative features first and fits them', async () => {
    const n = 4000;
    const { X, y } = dataset(n, 12, 11);
    const bins = binned(X, n);
    const f = await trainForest(n, 12, bins, y, { trees: 30, maxDepth: 8, minLeaf: 5, maxFeatures: 1 / 3, bins: 64, seed: 3, workers: 0 });
    const imp = impurityImportance(f);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(new Set(topN(imp, 3))).toEqual(new Set([0, 1, 2]));
    expect(imp[0] + imp[1]).toBeGreaterThan(0.6);
    // the signal's variance share is about 0.97: with every feature open to every tree, an honest
    // fit explains most of it in sample (a third of the features per tree dilutes the average)
    const all = await trainForest(n, 12, bins, y, { trees: 30, maxDepth: 8, minLeaf: 5, maxFeatures: 1, bins: 64, seed: 3, workers: 0 });
    expect(r2(y, predictForest(all, bins, n))).toBeGreaterThan(0.85);
    expect(r2(y, predictForest(f, bins, n))).toBeGreaterThan(0.4);
  });

  it('predicts a shuffled feature by re-walking only the rows through its splits, as a full walk does', async () => {
    const n = 3000;
    const { X, y } = dataset(n, 10, 13);
    const bins = binned(X, n);
    const f = await trainForest(n, 10, bins, y, { trees: 6, maxDepth: 7, minLeaf: 5, maxFeatures: 0.6, bins: 64, seed: 4, workers: 0 });
    const rng = new Prng(21);
    for (const tree of f.trees) {
      const r = treeRows(tree, bins, n);
      const full = new Float64Array(n);
      predictTree(tree, bins, n, full);
      expect(Buffer.from(r.prediction.buffer).equals(Buffer.from(full.buffer))).toBe(true);
      for (let feat = 0; feat < 10; feat++) {
        // the reference: every row walked from the root over a copy with the feature's column shuffled
        const shuffled = bins.slice();
        const col = shuffled.subarray(feat * n, (feat + 1) * n);
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(rng.next() * (i + 1));
          [col[i], col[j]] = [col[j], col[i]];
        }
        const expected = new Float64Array(n);
        predictTree(tree, shuffled, n, expected);
        const got = new Float64Array(n);
        predictWithout(tree, r, shuffled, n, feat, got);
        expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer)), `feature ${feat}`).toBe(true);
        // and the shuffle mattered where the tree splits on the feature
        if (tree.feature.includes(feat))
          expect(
            got.some((v, i) => v !== full[i]),
            `feature ${feat}`,
          ).toBe(true);
        else expect(got).toEqual(full);
      }
    }
  });

  it('grows the same trees on worker threads as in one thread', async () => {
    const n = 3000;
    const { X, y } = dataset(n, 10, 12);
    const bins = binned(X, n);
    const opts = { trees: 8, maxDepth: 6, minLeaf: 5, maxFeatures: 0.5, bins: 64, seed: 9 };
    const one = await trainForest(n, 10, bins, y, { ...opts, workers: 0 });
    const two = await trainForest(n, 10, bins, y, { ...opts, workers: 2 });
    expect([...impurityImportance(two)]).toEqual([...impurityImportance(one)]);
    expect([...predictForest(two, bins, n)]).toEqual([...predictForest(one, bins, n)]);
  });

  it('ranks features as ml-random-forest does on small data (same rows, trees, depth)', async () => {
    const n = 400;
    const p = 8;
    const { X, y } = dataset(n, p, 13);
    const rows = Array.from({ length: n }, (_, i) => X.map((x) => x[i]));
    const ref = new RandomForestRegression({
      nEstimators: 20,
      maxFeatures: 1.0,
      replacement: true,
      useSampleBagging: true,
      noOOB: true,
      seed: 3,
      treeOptions: { maxDepth: 5, minNumSamples: 5 },
    });
    ref.train(rows, [...y]);
    // featureImportance() is in the library but not in its type declarations
    const theirs = (ref as unknown as { featureImportance(): number[] }).featureImportance();
    const ours = impurityImportance(
      await trainForest(n, p, binned(X, n), y, { trees: 20, maxDepth: 5, minLeaf: 5, maxFeatures: 1.0, bins: 64, seed: 3, workers: 0 }),
    );
    expect(new Set(topN(ours, 3))).toEqual(new Set(topN(theirs, 3)));
    expect(topN(ours, 2).sort()).toEqual(topN(theirs, 2).sort());
    expect(spearman(ours, theirs)).toBeGreaterThan(0.6);
  });

  it('computes ranks, Spearman and Jaccard as their definitions say', () => {
    expect([...ranks([0.1, 0.5, 0.3])]).toEqual([3, 1, 2]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [40, 30, 20, 10])).toBe(-1);
    // one swap of adjacent ranks among 4: 1 - 6*2/(4*15) = 0.8
    expect(spearman([4, 3, 2, 1], [4, 3, 1, 2])).toBeCloseTo(0.8, 15);
    expect(jaccard([1, 2, 3], [2, 3, 4])).toBe(0.5);
  });
});
