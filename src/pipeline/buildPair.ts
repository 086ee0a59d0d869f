/**
 * One pair through stages 1-5 and 8a: extract, validate, lag + labels + split, Parquet per split,
 * and the leakage checks (the feature-reach one reads the written files). The range is built in
 * chunks of `chunkBars` bars (pairChunks.ts): each chunk's extract holds its own bars, the max(lag)
 * bars before them and the max(horizon) bars after (what its lags, labels and purge read), is
 * validated, turned into dataset rows and written to part files, and replaced by the next; the part
 * files become one file per split at the end. So memory holds one chunk per worker whatever the
 * range, and the rows are those of one pass over the whole range. What the checks over the whole
 * pair need is kept small: the validation's counts, the rows' (bar, ts_utc, split) and the series'
 * (bar, ts_utc).
 */
import path from 'node:path';
import type pg from 'pg';
import { type DuckSession, duckIdent, templateSql } from './DuckSession.ts';
import { extractPair, labelTable, type PairExtract, rawTable } from './extract.ts';
import type { FeatureSet } from './featureSet.ts';
import { anyLabelNull, assertNoLabelsMissing, buildSeries, labelsMissing } from './labels.ts';
import { checkLagReach, checkSplitLeakage, type LeakageReport } from './leakage.ts';
import { pairChunks } from './pairChunks.ts';
import { recomputeSample } from './recomputeSample.ts';
import { buildSpineDataset, spineLeadingColumns } from './spineDataset.ts';
import { checkSpineLeakage } from './spineLeakage.ts';
import { buildDataset, type Cuts, SPLITS, type Split, tsLiteral } from './split.ts';
import { type ChunkValidation, chunksFail, FIRST_CHUNK_LO, mergeValidation, type PairValidation, validateChunk } from './validate.ts';
import { type OutputFile, publishPairFiles, writeChunkParts } from './writeParquet.ts';

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
  /** Bars of the range per chunk (defaultChunkBars in buildDatasetFiles.ts). */
  chunkBars: number;
  /** An event spine (table `spine` in the session): rows are its events, not the bars. */
  spine?: { carried: string[]; events: number };
  /** Families of this pair with stale rows in the range, let in by --allow-stale (not recompared). */
  staleFamilies?: ReadonlySet<string>;
}

/** A pair's extract over its chunks: the first chunk's start, the sums of the rest (rows count the chunks' overlaps). */
function sumExtracts(a: PairExtract, b: PairExtract): PairExtract {
  return {
    ...a,
    barsInRange: a.barsInRange + b.barsInRange,
    rows: a.rows + b.rows,
    labelRows: a.labelRows + b.labelRows,
    bytes: a.bytes + b.bytes,
    seconds: a.seconds + b.seconds,
  };
}

/** Rows of the feature-reach sample per chunk. */
const LAG_SAMPLE_ROWS = 25;

export async function buildPair(pool: pg.Pool, duck: DuckSession, pair: string, o: PairBuildOptions): Promise<PairBuild> {
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  let mark = t0;
  const lap = (k: string) => {
    const now = performance.now();
    phases[k] = (phases[k] ?? 0) + (now - mark) / 1000;
    mark = now;
  };
  const t = {
    raw: rawTable(pair),
    labels: labelTable(pair),
    series: `series_${pair}`,
    dataset: `dataset_${pair}`,
    keys: `keys_${pair}`,
    bars: `bars_${pair}`,
  };
  const maxLag = Math.max(0, ...o.featureSet.lags);
  const maxH = Math.max(...o.featureSet.horizons);
  const leading = o.spine ? spineLeadingColumns(o.spine.carried) : [];
  const partsRoot = path.join(o.stagingDir, '.parts', pair);
  try {
    await duck.run(templateSql('pair_keys_create', { keys: duckIdent(t.keys) }));
    await duck.run(templateSql('pair_bars_create', { bars: duckIdent(t.bars) }));
    const chunks = await pairChunks(pool, pair, o.from, o.to, o.chunkBars, maxH);
    let extract = null as PairExtract | null;
    const checked: ChunkValidation[] = [];
    const parts: Array<Record<Split, string[]>> = [];
    let lagSampled = 0;
    let lagColumns = 0;
    for (const [j, c] of chunks.entries()) {
      const x = await extractPair(pool, duck, pair, o.featureSet, c.from, c.to, {
        extractTo: c.extractTo,
        historyBars: j === 0 ? maxLag : Math.max(maxLag, 1),
      });
      extract = extract === null ? x : sumExtracts(extract, x);
      lap('extract');
      await buildSeries(duck, t, x.barsBefore, o.featureSet);
      const rows = { from: tsLiteral(c.from), to: tsLiteral(c.to) };
      checked.push(
        await validateChunk(duck, duckIdent(t.raw), duckIdent(t.series), o.featureSet, {
          ...rows,
          lo: j === 0 ? FIRST_CHUNK_LO : rows.from,
          maxGapMinutes: o.maxGapMinutes,
        }),
      );
      lap('validate');
      // once a chunk fails, nothing more is derived: the rest is only validated, for the full report
      if (chunksFail(checked)) continue;
      // the series' bars for the label-reach check: a first chunk's history too, then each chunk's own
      await duck.run(
        templateSql('pair_bars_insert', {
          bars: duckIdent(t.bars),
          series: duckIdent(t.series),
          from: j === 0 ? FIRST_CHUNK_LO : rows.from,
          to: rows.to,
        }),
      );
      if (o.spine) await buildSpineDataset(duck, pair, t, o.featureSet, o.cuts, o.from, o.to, o.spine.carried, { from: c.from, to: c.to });
      else await buildDataset(duck, t, o.featureSet, o.cuts, o.from, o.to, { from: c.from, to: c.to });
      await duck.run(
        templateSql('pair_keys_insert', { keys: duckIdent(t.keys), dataset: duckIdent(t.dataset), any_null: anyLabelNull(o.featureSet) }),
      );
      lap('lag_split');
      const written = await writeChunkParts(duck, path.join(partsRoot, `c${j}`), pair, t.dataset, o.featureSet, leading);
      parts.push(written);
      lap('parquet');
      const files = SPLITS.flatMap((s) => written[s]);
      if (files.length) {
        lagColumns = await checkLagReach(duck, pair, t.series, o.featureSet, o.seed, files, LAG_SAMPLE_ROWS);
        if (lagColumns) lagSampled += LAG_SAMPLE_ROWS;
      }
      lap('leakage');
    }
    const validation = mergeValidation(pair, checked, o.featureSet, {
      from: tsLiteral(o.from),
      to: tsLiteral(o.to),
      maxMissing: o.maxMissing,
      maxGapMinutes: o.maxGapMinutes,
    });
    if (validation.issues.length) return { pair, extract: extract!, validation, seconds: (performance.now() - t0) / 1000, phases };
    assertNoLabelsMissing(pair, await labelsMissing(duck, t.keys, 'labels_null'));
    // the last chunk's view gives the columns of a split without rows
    const files = await publishPairFiles(duck, o.stagingDir, pair, parts, t.dataset, o.featureSet, leading);
    lap('parquet');
    const written = SPLITS.map((s) => path.join(o.stagingDir, files[s].path));
    await checkSplitLeakage(duck, pair, { dataset: t.keys, series: t.bars }, o.featureSet, o.cuts, o.to);
    const leakage: LeakageReport = {
      splitOrder: 'pass',
      labelReach: 'pass',
      featureReach: { sampledRows: lagSampled, columnsChecked: lagColumns },
    };
    if (o.spine) leakage.spine = await checkSpineLeakage(duck, pair, t.bars, written, o.seed);
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
    return { pair, extract: extract!, validation, files, leakage, events, seconds: (performance.now() - t0) / 1000, phases };
  } finally {
    await duck.run(`drop view if exists ${duckIdent(t.dataset)}`);
    await duck.run(`drop view if exists ${duckIdent(t.series)}`);
    for (const name of [t.raw, t.labels, t.keys, t.bars]) await duck.run(`drop table if exists ${duckIdent(name)}`);
  }
}
