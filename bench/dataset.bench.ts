/**
 * Issue 8 benchmarks.
 * - extract: one month of the default feature set (+ labels) for 4 pairs, our extract (binary COPY ->
 *   column chunks -> DuckDB appender) next to a raw `COPY ... TO STDOUT (FORMAT binary)` of the same two
 *   queries whose bytes are dropped, and both as they were before issue 20 (extractBefore.ts), same
 *   run, interleaved, median of BENCH_ROUNDS (5). Goal: within 1.5x.
 * - select: the histogram forest at full size, 576 features x 250k train rows x 100 trees, depth 10,
 *   on 2 worker threads (goal: under 3 minutes), read from a built dataset's train split
 *   (BENCH_DATASET=DIR, e.g. the demo's) or, without one, from a fresh 28-pair month built here.
 *   Then ml-random-forest on a ladder of sizes (same rows, trees, depth and feature share), each run in
 *   a child process killed after 5 minutes; the largest size it finishes is timed against ours.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { copyOut } from '../src/db/copyOut.ts';
import { migrate } from '../src/db/migrate.ts';
import { quoteIdent } from '../src/db/quote.ts';
import { withLiterals } from '../src/db/withLiterals.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { buildDatasetFiles, DATASET_DEFAULTS } from '../src/pipeline/buildDatasetFiles.ts';
import { DuckSession, templateSql } from '../src/pipeline/DuckSession.ts';
import { extractFeatureParts, extractPair } from '../src/pipeline/extract.ts';
import { resolveFeatureSet } from '../src/pipeline/featureSet.ts';
import { allocBinned, applyBins, binEdges } from '../src/pipeline/select/binning.ts';
import { loadBinned, loadColumn } from '../src/pipeline/select/loadBinned.ts';
import { spearman, topN } from '../src/pipeline/select/rankStats.ts';
import { DEFAULT_FOREST as DATASET_DEFAULTS_FOREST, impurityImportance, trainForest } from '../src/pipeline/select/trainForest.ts';
import { splitSource } from '../src/pipeline/splitSource.ts';
import { rangePlan, runPairs } from '../src/runner/runPairs.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { extractPairBefore, extractSqlBefore } from './extractBefore.ts';
import { freshDatabase, median } from './support.ts';

const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 7, 1);
const FAMILIES = ['bqx', 'bollinger_rate', 'statistics_rate', 'volume_features', 'spread_features', 'time_features', 'labels'];
const exec = promisify(execFile);

async function prepare(pool: pg.Pool, pairs: string[]): Promise<void> {
  await migrate(pool);
  const file = path.join(os.tmpdir(), `bqx-bench-dataset-${pairs.length}.csv`);
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 42, from: FROM, to: TO, pairs });
  await ingestSource(pool, openSource(file));
  const units = await runPairs(pool, pairs, rangePlan(FAMILIES, FROM, TO), { concurrency: 2, trigger: 'backfill' });
  if (units.some((u) => u.status !== 'ok')) throw new Error('bench refresh failed');
}

export async function benchDatasetExtract() {
  const pairs = ['eurusd', 'gbpusd', 'usdjpy', 'audcad'];
  const db = await freshDatabase();
  try {
    await prepare(db.pool, pairs);
    const fset = resolveFeatureSet();
    const lits = [new Date(FROM).toISOString(), new Date(TO).toISOString()];
    const sqlNow = (c: pg.ClientBase, pair: string) => [
      withLiterals(c, templateSql('pg_extract_features', extractFeatureParts(pair, fset)), lits),
      withLiterals(
        c,
        templateSql('pg_extract_labels', {
          table: `bqx.${quoteIdent(`labels_${pair}`)}`,
          columns: fset.labels.map(quoteIdent).join(', '),
        }),
        lits,
      ),
    ];
    // a raw COPY of a version's two queries per pair, bytes dropped
    const raw = (sqls: (c: pg.ClientBase, pair: string) => string[]) => async () => {
      let bytes = 0;
      const c = await db.pool.connect();
      try {
        for (const pair of pairs) for (const q of sqls(c, pair)) for await (const b of copyOut(c, q)) bytes += b.length;
      } finally {
        c.release();
      }
      return bytes;
    };
    const ours = (f: (duck: DuckSession, pair: string) => Promise<unknown>) => async () => {
      const duck = await DuckSession.open();
      try {
        for (const pair of pairs) await f(duck, pair);
        return 0;
      } finally {
        duck.close();
      }
    };
    // before issue 20 (bench/extractBefore.ts) and now, interleaved
    const modes: Record<string, () => Promise<number>> = {
      rawBefore: raw((c, pair) => extractSqlBefore(c, pair, fset, lits)),
      extractBefore: ours((duck, pair) => extractPairBefore(db.pool, duck, pair, fset, FROM, TO)),
      raw: raw(sqlNow),
      extract: ours((duck, pair) => extractPair(db.pool, duck, pair, fset, FROM, TO)),
    };
    const runs: Record<string, number[]> = {};
    const loads: string[] = [];
    let bytes = 0;
    for (let k = 0; k < Number(process.env.BENCH_ROUNDS ?? 5); k++) {
      loads.push(fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '));
      for (const [name, f] of Object.entries(modes)) {
        const t0 = performance.now();
        const b = await f();
        if (name === 'raw') bytes = b;
        runs[name] ??= [];
        runs[name].push((performance.now() - t0) / 1000);
      }
    }
    const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
    return {
      pairs: pairs.length,
      columns: fset.base.length + fset.labels.length,
      bytes,
      seconds: m,
      ratio: m.extract / m.raw,
      ratioBefore: m.extractBefore / m.rawBefore,
      extractSpeedup: m.extractBefore / m.extract,
      rawSpeedup: m.rawBefore / m.raw,
      runs,
      loadavg: loads,
    };
  } finally {
    await db.drop();
  }
}

async function trainSplit(): Promise<{ files: string[]; cleanup(): Promise<void> }> {
  const dir = process.env.BENCH_DATASET;
  if (dir) {
    const files = fs.readdirSync(path.join(dir, 'train')).map((f) => path.join(dir, 'train', f));
    return { files, async cleanup() {} };
  }
  const db = await freshDatabase();
  const { PAIR_NAMES } = await import('../src/features/pairs.ts');
  await prepare(db.pool, [...PAIR_NAMES]);
  const out = path.join(os.tmpdir(), `bqx-bench-dataset-${process.pid}`);
  await buildDatasetFiles(db.pool, { ...DATASET_DEFAULTS, pairs: [...PAIR_NAMES], from: FROM, to: TO, out, trees: 2, selectRows: 1000 });
  return {
    files: fs.readdirSync(path.join(out, 'train')).map((f) => path.join(out, 'train', f)),
    async cleanup() {
      fs.rmSync(out, { recursive: true, force: true });
      await db.drop();
    },
  };
}

export async function benchDatasetSelect() {
  const fset = resolveFeatureSet();
  const names = fset.columns.map((c) => c.name);
  const target = 'd_bqx_w60_60';
  const split = await trainSplit();
  const duck = await DuckSession.open();
  try {
    const t0 = performance.now();
    const src = await splitSource(duck, split.files, { rows: 250_000, seed: 42 });
    const m = await loadBinned(duck, src, names);
    const y = await loadColumn(duck, src, target, m);
    const loadSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const forest = await trainForest(m.rows, m.features, m.bins, y, { ...DATASET_DEFAULTS_FOREST, seed: 42, workers: 2 });
    const fullSeconds = (performance.now() - t1) / 1000;
    const full = {
      rows: m.rows,
      features: m.features,
      trees: 100,
      depth: 10,
      workers: 2,
      loadSeconds,
      trainSeconds: fullSeconds,
      goalSeconds: 180,
    };
    console.error(`full size: ${JSON.stringify(full)}`);

    // ml-random-forest ladder: the first `features` columns of the ranking's top, first `rows` rows
    const order = topN(impurityImportance(forest), 50);
    const raw = await duck.readColumns(`select ${order.map((f) => `"${names[f]}"::double`).join(', ')}, "${target}"::double from ${src}`);
    const ladder: Array<Record<string, unknown>> = [];
    let largest: Record<string, unknown> | null = null;
    for (const [rows, features] of [
      [500, 50],
      [1000, 50],
      [2000, 50],
      [4000, 50],
      [8000, 50],
      [16000, 50],
      [32000, 50],
    ]) {
      const X = Array.from({ length: rows }, (_, i) =>
        Array.from({ length: features }, (_, j) => (Number.isNaN(raw.data[j][i]) ? 0 : raw.data[j][i])),
      );
      const yy = Array.from({ length: rows }, (_, i) => raw.data[50][i]);
      const file = path.join(os.tmpdir(), `bqx-mlrf-${process.pid}.json`);
      fs.writeFileSync(file, JSON.stringify({ X, y: yy }));
      const trees = 10;
      const mlrf = async (seed: number) => {
        const r = await exec(
          process.execPath,
          [
            path.resolve('bin/run-ts.mjs'),
            'bench/mlrf.child.ts',
            file,
            String(trees),
            '10',
            String(DATASET_DEFAULTS_FOREST.maxFeatures),
            String(seed),
          ],
          { timeout: 300_000, maxBuffer: 1 << 24 },
        );
        return JSON.parse(r.stdout) as { seconds: number; importance: number[] };
      };
      let theirs: { seconds: number; importance: number[] };
      try {
        theirs = await mlrf(3);
      } catch (e) {
        fs.rmSync(file, { force: true });
        ladder.push({
          rows,
          features,
          trees,
          mlRandomForest: 'did not finish in 5 minutes',
          error: String((e as Error).message).slice(0, 120),
        });
        break;
      }
      // the noise floor of a ranking: the same library with another seed (where that is quick)
      const theirs2 = theirs.seconds < 60 ? await mlrf(4) : null;
      fs.rmSync(file, { force: true });
      // ours on the same rows (NULL as its own bin, as in the pipeline; ml-random-forest gets 0)
      const bins = allocBinned(rows, features);
      for (let j = 0; j < features; j++) {
        const col = Float64Array.from({ length: rows }, (_, i) => raw.data[j][i]);
        applyBins(col, binEdges(col, 64, j + 1), bins.subarray(j * rows, (j + 1) * rows));
      }
      const t2 = performance.now();
      const ours = await trainForest(rows, features, bins, Float64Array.from(yy), {
        ...DATASET_DEFAULTS_FOREST,
        trees,
        seed: 3,
        workers: 0,
      });
      const oursSeconds = (performance.now() - t2) / 1000;
      const ours2 = await trainForest(rows, features, bins, Float64Array.from(yy), {
        ...DATASET_DEFAULTS_FOREST,
        trees,
        seed: 4,
        workers: 0,
      });
      const entry = {
        rows,
        features,
        trees,
        depth: 10,
        mlRandomForestSeconds: theirs.seconds,
        oursSeconds,
        speedup: theirs.seconds / oursSeconds,
        rankSpearman: {
          oursVsTheirs: spearman(impurityImportance(ours), theirs.importance),
          oursVsOursOtherSeed: spearman(impurityImportance(ours), impurityImportance(ours2)),
          theirsVsTheirsOtherSeed: theirs2 ? spearman(theirs.importance, theirs2.importance) : null,
        },
      };
      console.error(JSON.stringify(entry));
      ladder.push(entry);
      largest = entry;
    }
    return { full, ladder, largest };
  } finally {
    duck.close();
    await split.cleanup();
  }
}
