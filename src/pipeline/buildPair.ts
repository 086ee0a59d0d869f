/**
 * One pair through stages 1-5 and 8a: extract, validate, lag + labels + split, Parquet per split,
 * and the leakage checks (the feature-reach one reads the written files). Its DuckDB tables are dropped afterwards, so memory holds one pair at a time
 * per worker whatever the dataset's size.
 */
import path from 'node:path';
import type pg from 'pg';
import { type DuckSession, duckIdent } from './DuckSession.ts';
import { extractPair, labelTable, type PairExtract, rawTable } from './extract.ts';
import type { FeatureSet } from './featureSet.ts';
import { assertLabelsPresent, buildSeries } from './labels.ts';
import { checkLeakage, type LeakageReport } from './leakage.ts';
import { recomputeSample } from './recomputeSample.ts';
import { buildSpineDataset, spineLeadingColumns } from './spineDataset.ts';
import { checkSpineLeakage } from './spineLeakage.ts';
import { buildDataset, type Cuts, SPLITS, type Split, tsLiteral } from './split.ts';
import { type PairValidation, validatePair } from './validate.ts';
import { type OutputFile, writePairParquet } from './writeParquet.ts';

export interface PairBuild {
  pair: string;
  extract: PairExtract;
  validation: PairValidation;
  /** Absent when validation failed (nothing is derived from invalid data). */
  files?: Record<Split, OutputFile>;
  leakage?: LeakageReport;
  seconds: number;
  /** On a spine: the pair's events, and those with a dataset row (the others had no usable bar in the dataset). */
  events?: { total: number; kept: number };
  /** Seconds per stage, for the report and the benchmark. */
  phases: Record<string, number>;
}

export interface PairBuildOptions {
  featureSet: FeatureSet;
  cuts: Cuts;
  from: number;
  to: number;
  maxMissing: number;
  maxGapMinutes: number;
  seed: number;
  stagingDir: string;
  /** An event spine (table `spine` in the session): rows are its events, not the bars. */
  spine?: { carried: string[]; events: number };
  /** Families of this pair with stale rows in the range, let in by --allow-stale (not recompared). */
  staleFamilies?: ReadonlySet<string>;
}

export async function buildPair(pool: pg.Pool, duck: DuckSession, pair: string, o: PairBuildOptions): Promise<PairBuild> {
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  let mark = t0;
  const lap = (k: string) => {
    const now = performance.now();
    phases[k] = (phases[k] ?? 0) + (now - mark) / 1000;
    mark = now;
  };
  const t = { raw: rawTable(pair), labels: labelTable(pair), series: `series_${pair}`, dataset: `dataset_${pair}` };
  try {
    const extract = await extractPair(pool, duck, pair, o.featureSet, o.from, o.to);
    lap('extract');
    await buildSeries(duck, t, extract.barsBefore, o.featureSet);
    const validation = await validatePair(duck, pair, duckIdent(t.raw), duckIdent(t.series), o.featureSet, {
      from: tsLiteral(o.from),
      to: tsLiteral(o.to),
      maxMissing: o.maxMissing,
      maxGapMinutes: o.maxGapMinutes,
    });
    lap('validate');
    if (validation.issues.length) return { pair, extract, validation, seconds: (performance.now() - t0) / 1000, phases };
    if (o.spine) await buildSpineDataset(duck, pair, t, o.featureSet, o.cuts, o.from, o.to, o.spine.carried);
    else await buildDataset(duck, t, o.featureSet, o.cuts, o.from, o.to);
    await assertLabelsPresent(duck, pair, t.dataset, o.featureSet);
    lap('lag_split');
    const files = await writePairParquet(
      duck,
      o.stagingDir,
      pair,
      t.dataset,
      o.featureSet,
      o.spine ? spineLeadingColumns(o.spine.carried) : [],
    );
    lap('parquet');
    const written = SPLITS.map((s) => path.join(o.stagingDir, files[s].path));
    const leakage = await checkLeakage(duck, pair, t, o.featureSet, o.cuts, o.to, o.seed, written);
    if (o.spine) leakage.spine = await checkSpineLeakage(duck, pair, t.series, written, o.seed);
    // a spine's test split may be empty: then the latest split with rows
    const recomputeSplit = o.spine ? ([...SPLITS].reverse().find((s) => files[s].rows > 0) ?? 'test') : 'test';
    leakage.recomputed = await recomputeSample(
      pool,
      duck,
      pair,
      written[SPLITS.indexOf(recomputeSplit)],
      o.featureSet,
      o.seed,
      o.staleFamilies,
    );
    lap('leakage');
    const events = o.spine ? { total: o.spine.events, kept: SPLITS.reduce((n, s) => n + files[s].rows, 0) } : undefined;
    return { pair, extract, validation, files, leakage, events, seconds: (performance.now() - t0) / 1000, phases };
  } finally {
    await duck.run(`drop view if exists ${duckIdent(t.dataset)}`);
    await duck.run(`drop view if exists ${duckIdent(t.series)}`);
    for (const name of [t.raw, t.labels]) await duck.run(`drop table if exists ${duckIdent(name)}`);
  }
}
