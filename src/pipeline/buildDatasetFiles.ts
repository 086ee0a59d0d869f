/**
 * `bqx dataset build`: the whole pipeline. Cut instants first (shared by all pairs), then each pair
 * through extract -> validate -> lag + labels + split -> Parquet -> leakage checks, a few pairs at a
 * time; then selection on train, the baseline on the selected features, and the manifest and
 * report. Everything is written to a staging directory published only when the build passed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { type BaselineResult, fitBaseline } from './baseline.ts';
import { buildPair, type PairBuild } from './buildPair.ts';
import { checkDefinitions, type DefinitionsRecord } from './checkDefinitions.ts';
import { DuckSession } from './DuckSession.ts';
import { type FeatureSet, resolveFeatureSet } from './featureSet.ts';
import { type Manifest, writeManifest } from './manifest.ts';
import { checkOutDir, publish, stagingDir } from './outputDir.ts';
import { trainTestPsi } from './psiTrainTest.ts';
import { writeReport } from './report.ts';
import { type SelectionResult, selectFeatures } from './select/selectFeatures.ts';
import { DEFAULT_FOREST } from './select/trainForest.ts';
import { loadSpine, SPINE_RESERVED, type SpineInfo } from './spine.ts';
import { type Cuts, splitCuts } from './split.ts';
import { fileColumns } from './writeParquet.ts';

export interface DatasetOptions {
  pairs: string[];
  from: number;
  to: number;
  features?: string;
  lags?: number[];
  horizons?: number[];
  top: number;
  trees: number;
  maxDepth: number;
  seed: number;
  concurrency: number;
  out: string;
  maxMissing: number;
  maxGapMinutes: number;
  /** Train rows the forest is fit on; validation rows for permutation; train rows for the baseline. */
  selectRows: number;
  permutationRows: number;
  fitRows: number;
  /** The label horizon the selection targets (default: the largest requested). */
  selectHorizon?: number;
  /** An event spine (CSV or Parquet, columns pair, ts, carried ones): one row per event (spine.ts). */
  spine?: string;
  /** Bars of the range per pair built at a time (memory holds one such chunk per worker; default defaultChunkBars). */
  chunkBars?: number;
  /** Build even where rows of a family were computed under an older definition (the manifest says so). */
  allowStale?: boolean;
  onPair?: (p: PairBuild, done: number, total: number) => void;
  onStage?: (stage: string) => void;
}

/** The defaults `bqx dataset build` documents (spec section 7). */
export const DATASET_DEFAULTS = {
  top: 100,
  trees: DEFAULT_FOREST.trees,
  maxDepth: DEFAULT_FOREST.maxDepth,
  seed: 42,
  concurrency: 2,
  maxMissing: 0.01,
  maxGapMinutes: 60,
  selectRows: 250_000,
  permutationRows: 20_000,
  fitRows: 500_000,
} as const;

/**
 * Values (bars x dataset columns) a chunk holds per worker when --chunk-bars is not given: about 190 MB of
 * doubles. With --features all (2,120 columns with the lags and labels) that is about 11,000 bars, a
 * week and a half; with the default set (584) about 41,000, so a pair-month is one chunk and is written once
 * (a pair of several chunks writes part files, then joins them).
 */
export const CHUNK_VALUES = 24_000_000;

/** The default chunk of a feature set: CHUNK_VALUES over its columns, at least 1,000 bars. */
export function defaultChunkBars(columns: number): number {
  return Math.max(1000, Math.floor(CHUNK_VALUES / Math.max(1, columns)));
}

export interface DatasetResult {
  out: string;
  featureSet: FeatureSet;
  cuts: Cuts;
  pairs: PairBuild[];
  selection: SelectionResult;
  baseline: BaselineResult;
  manifest: Manifest;
  seconds: number;
}

export async function buildDatasetFiles(pool: pg.Pool, o: DatasetOptions): Promise<DatasetResult> {
  const t0 = performance.now();
  const fset = resolveFeatureSet({ features: o.features, lags: o.lags, horizons: o.horizons });
  const selectHorizon = o.selectHorizon ?? Math.max(...fset.horizons);
  if (!fset.horizons.includes(selectHorizon)) {
    throw new BqxError('BQX_USAGE', `--select-horizon ${selectHorizon} is not among --horizons ${fset.horizons.join(',')}`, {
      hint: 'pick one of the requested horizons',
    });
  }
  checkOutDir(o.out);
  const duck = await DuckSession.open();
  let spine: SpineInfo | null = null;
  let pairs = o.pairs;
  let cuts: Cuts;
  let definitions: DefinitionsRecord;
  try {
    if (o.spine) {
      spine = await loadSpine(duck, o.spine, [...SPINE_RESERVED, ...fileColumns(fset)]);
      pairs = o.pairs.filter((p) => p in spine!.perPair);
      if (!pairs.length)
        throw new BqxError('BQX_USAGE', `--spine ${o.spine} has no events of ${o.pairs.join(',')}`, {
          hint: `its pairs: ${spine.pairs.join(',')}`,
        });
    }
    cuts = await splitCuts(pool, pairs, o.from, o.to);
    definitions = await checkDefinitions(pool, pairs, [...fset.families, 'labels'], o, o.allowStale ?? false);
  } catch (err) {
    duck.close();
    throw err;
  }
  const staging = stagingDir(o.out);
  try {
    o.onStage?.('extract');
    const results: PairBuild[] = [];
    const queue = [...pairs];
    const workers = await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, pairs.length)) }, () => duck.fork()));
    // the first failure stops the queue; the other workers finish their pair before the staging
    // directory and the DuckDB connections go away
    let failure: unknown = null;
    try {
      await Promise.all(
        workers.map(async (w) => {
          for (let pair = queue.shift(); pair !== undefined && failure === null; pair = queue.shift()) {
            try {
              const r = await buildPair(pool, w, pair, {
                featureSet: fset,
                cuts,
                from: o.from,
                to: o.to,
                maxMissing: o.maxMissing,
                maxGapMinutes: o.maxGapMinutes,
                seed: o.seed,
                stagingDir: staging,
                chunkBars: o.chunkBars ?? defaultChunkBars(fset.columns.length + fset.labels.length),
                spine: spine ? { carried: spine.carried, events: spine.perPair[pair] } : undefined,
                staleFamilies: new Set(definitions.stale.filter((s) => s.pair === pair).map((s) => s.family)),
              });
              results.push(r);
              o.onPair?.(r, results.length, pairs.length);
            } catch (err) {
              failure ??= err;
            }
          }
        }),
      );
    } finally {
      for (const w of workers) w.close();
    }
    if (failure !== null) throw failure;
    fs.rmSync(path.join(staging, '.parts'), { recursive: true, force: true });
    results.sort((a, b) => pairs.indexOf(a.pair) - pairs.indexOf(b.pair));
    const issues = results.flatMap((r) => r.validation.issues);
    if (issues.length) {
      const shown = issues.slice(0, 12).map((i) => `  - ${i.message}${i.rows.length ? ` (first: ${i.rows.slice(0, 3).join(', ')})` : ''}`);
      throw new BqxError(
        'BQX_DATASET_INVALID',
        `validation failed (${issues.length} problem(s)):\n${shown.join('\n')}${issues.length > 12 ? `\n  ... and ${issues.length - 12} more (--json lists all)` : ''}`,
        {
          hint: 'fix the data (re-ingest, then bqx refresh for the range), or narrow the build: --features (e.g. without spread_features for a source without bid/ask), --max-missing, --max-gap',
          details: { issues },
        },
      );
    }
    const files = (split: string) => results.map((r) => path.join(staging, r.files![split as 'train'].path));
    const target = `d_bqx_w60_${selectHorizon}`;
    o.onStage?.('select');
    const selection = await selectFeatures(
      duck,
      { train: files('train'), validation: files('validation') },
      fset.columns.map((c) => c.name),
      target,
      {
        top: o.top,
        trees: o.trees,
        maxDepth: o.maxDepth,
        seed: o.seed,
        sampleRows: o.selectRows,
        permutationRows: o.permutationRows,
        workers: Math.max(1, o.concurrency),
        stabilityGroups: 5,
      },
    );
    o.onStage?.('baseline');
    const baseline = await fitBaseline(
      duck,
      { train: files('train'), validation: files('validation'), test: files('test') },
      selection.selected,
      fset.horizons,
      { fitRows: o.fitRows, seed: o.seed },
    );
    o.onStage?.('report');
    const manifest = await writeManifest(staging, pool, duck, {
      options: { ...o, pairs },
      featureSet: fset,
      cuts,
      pairs: results,
      selection,
      baseline,
      spine,
      definitions,
    });
    const seconds = (performance.now() - t0) / 1000;
    const psi = await trainTestPsi(duck, files('train'), files('test'), selection.selected);
    writeReport(staging, { manifest, featureSet: fset, pairs: results, selection, baseline, seconds, psi });
    publish(staging, o.out);
    return { out: path.resolve(o.out), featureSet: fset, cuts, pairs: results, selection, baseline, manifest, seconds };
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  } finally {
    duck.close();
  }
}
