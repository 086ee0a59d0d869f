/**
 * Child process of the selection benchmark: trains ml-random-forest on a matrix saved by the parent
 * (so the parent can kill it at the time limit) and prints its training time and importance.
 */
import fs from 'node:fs';
import { RandomForestRegression } from 'ml-random-forest';

const [file, trees, depth, maxFeatures, seed] = process.argv.slice(2);
const { X, y } = JSON.parse(fs.readFileSync(file, 'utf8')) as { X: number[][]; y: number[] };
const t0 = performance.now();
const rf = new RandomForestRegression({
  nEstimators: Number(trees),
  maxFeatures: Number(maxFeatures),
  replacement: true,
  useSampleBagging: true,
  seed: Number(seed ?? 3),
  // the out-of-bag step crashes in ml-random-forest 2.1 (issue 8); the forest is the same without it
  noOOB: true,
  treeOptions: { maxDepth: Number(depth), minNumSamples: 5 },
});
rf.train(X, y);
const seconds = (performance.now() - t0) / 1000;
const importance = (rf as unknown as { featureImportance(): number[] }).featureImportance();
process.stdout.write(JSON.stringify({ seconds, importance }));
