/**
 * `bqx demo`: the whole store on synthetic data, end to end. Migrates, synthesizes a month of 1-minute
 * bars for the 28 pairs into a generic CSV file, ingests that file, computes every family, builds a
 * dataset from it (the ML engineer's end of the store) and summarises what it built.
 * Safe to run again: the second ingest finds every bar already stored and changes nothing.
 * The CSV goes to a temp directory that is removed when the demo ends, unless `outDir` names one to keep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { type MigrateResult, migrate } from '../db/migrate.ts';
import { CROSS_SECTIONAL, family as familyDef } from '../features/catalog/index.ts';
import { type IngestReport, ingestSource } from '../ingest/ingest.ts';
import { openSource } from '../ingest/openSource.ts';
import { buildDatasetFiles, type DatasetOptions, type DatasetResult } from '../pipeline/buildDatasetFiles.ts';
import { refreshableFamilies } from '../runner/refreshFamily.ts';
import { rangePlan, runPairs } from '../runner/runPairs.ts';
import { synthToFile } from '../synth/synthesize.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface DemoOptions {
  pairs: string[];
  from: number;
  to: number;
  seed: number;
  outDir?: string;
  onStep?: (step: string) => void;
  onDatasetStage?: (stage: string) => void;
  onSynthRows?: (rows: number) => void;
  onIngestProgress?: (rows: number, total: number) => void;
  onRefreshUnit?: (done: number, total: number) => void;
  concurrency?: number;
  /** The dataset build that ends the demo (its pairs and range are the demo's). */
  dataset: Omit<DatasetOptions, 'pairs' | 'from' | 'to'>;
}

export interface DemoReport {
  migrate: MigrateResult;
  /** `kept`: false when the file was in the demo's temp directory, removed at the end. */
  csv: { file: string; rows: number; seconds: number; bytes: number; kept: boolean };
  ingest: IngestReport;
  tables: { family_tables: number; pair_tables: number; month_partitions: number; other_tables: number };
  rowsPerPair: Array<{ pair: string; rows: number; first_ts: Date; last_ts: Date; indexed: number; with_bid_ask: number }>;
  refresh: Array<{ family: string; pairs: number; rows: number; seconds: number }>;
  regR2: Array<{ domain: string; window_name: string; fits: number; avg_r2: number; share_r2_above_0_7: number }>;
  dataset: DatasetResult;
  /** Disk use at the end: the database, the dataset directory. */
  disk: { databaseBytes: number; datasetBytes: number };
  seconds: { migrate: number; synth: number; ingest: number; refresh: number; dataset: number; total: number };
}

export async function runDemo(pool: pg.Pool, o: DemoOptions): Promise<DemoReport> {
  const t0 = performance.now();
  o.onStep?.('migrating');
  const mig = await migrate(pool);
  const t1 = performance.now();

  o.onStep?.(`synthesizing ${o.pairs.length} pairs`);
  const tempDir = o.outDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-demo-'));
  try {
    return await afterSynth(pool, o, tempDir ?? o.outDir!, tempDir === null, { t0, t1, mig });
  } finally {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

function directoryBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += directoryBytes(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}

async function afterSynth(
  pool: pg.Pool,
  o: DemoOptions,
  dir: string,
  keep: boolean,
  { t0, t1, mig }: { t0: number; t1: number; mig: MigrateResult },
): Promise<DemoReport> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `synth_${new Date(o.from).toISOString().slice(0, 7)}_seed${o.seed}.csv`);
  const csv = await synthToFile(file, { seed: o.seed, from: o.from, to: o.to, pairs: o.pairs }, o.onSynthRows);
  const csvBytes = fs.statSync(file).size;
  const t2 = performance.now();

  o.onStep?.(`ingesting ${path.basename(file)}`);
  const ingest = await ingestSource(pool, openSource(file), { onProgress: (n) => o.onIngestProgress?.(n, csv.rows) });
  if (!keep) fs.rmSync(file, { force: true }); // stored now; the temp directory goes too when the demo ends
  const t3 = performance.now();

  // Two waves around the cross-section (README, "Cross-pair families"): the pair-local families of every
  // pair, then the cross-sectional tables from all the pairs' bars, then the families that read them.
  const crossNames = new Set(CROSS_SECTIONAL.map((f) => f.family));
  const readsCross = (f: string) => familyDef(f).dependsOn.some((d) => crossNames.has(d));
  const families = refreshableFamilies().filter((f) => !readsCross(f));
  const crossPair = refreshableFamilies().filter(readsCross);
  const unitCount = (families.length + crossPair.length) * o.pairs.length + CROSS_SECTIONAL.length;
  o.onStep?.(`computing ${families.join(', ')} (in PostgreSQL; the technical families in TypeScript)`);
  let done = 0;
  // the backfill path: unit locks, watermarks and bqx.refresh_runs, so `bqx status` and `bqx runner` take over from here
  const wave = async (names: string[]) => {
    const us = await runPairs(pool, o.pairs, rangePlan(names, o.from, o.to), {
      concurrency: o.concurrency ?? 2,
      trigger: 'backfill',
      onUnit: () => o.onRefreshUnit?.(++done, unitCount),
    });
    const failed = us.filter((u) => u.status !== 'ok');
    if (failed.length)
      throw new Error(`demo refresh failed: ${failed.map((u) => `${u.family}/${u.pair}: ${u.error ?? u.status}`).join('; ')}`);
    return us;
  };
  const units = await wave(families);
  // the cross-section (Wave 3): the 8 currencies and the aligned pairs, each one unit over the demo's pairs
  // (a currency whose 7 pairs are not all in the demo has no level: NULL, not invented), run by the
  // backfill's plan before the families that read it
  o.onStep?.(
    `computing currency_strength and cross_returns (the cross-section, from all the pairs), then ${crossPair.join(', ')} (each pair from its bars and the cross-section), in PostgreSQL`,
  );
  // the regression criterion and the rows per pair read only bqx.m1 and the pair families: they run
  // beside the cross-section's one-statement refreshes, on other connections, instead of after them
  const [crossUnits, regR2, rowsPerPair] = await Promise.all([
    wave(crossPair),
    pool.query<DemoReport['regR2'][number]>(sql('reg_r2'), [o.pairs]).then((r) => r.rows),
    pool.query<DemoReport['rowsPerPair'][number]>(sql('rows_per_pair')).then((r) => r.rows),
  ]);
  // (the table counts follow every write: the cross-section may add partitions)
  const tables = (await pool.query<DemoReport['tables']>(sql('table_counts'))).rows[0];
  const t4 = performance.now();
  const summary = (us: typeof units) => (f: string) => {
    const mine = us.filter((u) => u.family === f);
    return { family: f, pairs: mine.length, rows: mine.reduce((n, u) => n + u.rows, 0), seconds: mine.reduce((n, u) => n + u.seconds, 0) };
  };
  const refresh = [
    ...families.map(summary(units)),
    ...['currency_strength', 'cross_returns'].map((f) => ({ ...summary(crossUnits)(f), pairs: o.pairs.length })),
    ...crossPair.map(summary(crossUnits)),
  ];

  o.onStep?.(`building a dataset into ${o.dataset.out}: extract, validate, lag, split, select, baseline, report`);
  const dataset = await buildDatasetFiles(pool, { ...o.dataset, pairs: o.pairs, from: o.from, to: o.to, onStage: o.onDatasetStage });
  const t5 = performance.now();
  const databaseBytes = Number((await pool.query<{ bytes: number }>(sql('database_size'))).rows[0].bytes);
  return {
    migrate: mig,
    csv: { ...csv, seconds: (t2 - t1) / 1000, bytes: csvBytes, kept: keep },
    ingest,
    tables,
    rowsPerPair,
    refresh,
    regR2,
    dataset,
    disk: { databaseBytes, datasetBytes: directoryBytes(dataset.out) },
    seconds: {
      migrate: (t1 - t0) / 1000,
      synth: (t2 - t1) / 1000,
      ingest: (t3 - t2) / 1000,
      refresh: (t4 - t3) / 1000,
      dataset: (t5 - t4) / 1000,
      total: (performance.now() - t0) / 1000,
    },
  };
}
