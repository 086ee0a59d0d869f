/**
 * Stage 8b: manifest.json, what a dataset is, so it can be checked and reproduced: versions (bqx-store
 * and its git commit, Postgres, DuckDB, Node, the last migration), the options, the feature set, the
 * cut instants and purge, row counts per pair and split, every file's SHA-256, the selection, the
 * train-only scaler, the leakage checks and the baseline's scores.
 */

import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { ROOT } from '../db/paths.ts';
import { SPLIT_SHARES } from '../features/catalog/dataset.ts';
import type { BaselineResult, Scaler } from './baseline.ts';
import type { DatasetOptions } from './buildDatasetFiles.ts';
import type { PairBuild } from './buildPair.ts';
import type { DefinitionsRecord } from './checkDefinitions.ts';
import type { DuckSession } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';
import type { LeakageReport } from './leakage.ts';
import type { SelectionResult } from './select/selectFeatures.ts';
import type { SpineInfo } from './spine.ts';
import type { Cuts, Split } from './split.ts';
import type { OutputFile } from './writeParquet.ts';

export const MANIFEST_FORMAT = 'bqx-dataset/1';

export interface Manifest {
  format: string;
  created: string;
  versions: { bqxStore: string; git: string | null; postgres: string; lastMigration: string | null; duckdb: string; node: string };
  options: Record<string, unknown>;
  pairs: string[];
  range: { from: string; to: string };
  split: { shares: [number, number, number]; validationFrom: string; testFrom: string; purgeBars: number };
  features: {
    families: string[];
    lags: number[];
    count: number;
    warmupBars: number;
    columns: Array<{ name: string; family: string; lag: number }>;
  };
  labels: string[];
  target: string;
  selected: string[];
  scaler: Scaler[];
  rows: Record<string, Record<Split, number>>;
  files: OutputFile[];
  leakage: Record<string, LeakageReport>;
  baseline: BaselineResult['horizons'];
  /** Each family's definition fingerprint, and whether (and where) --allow-stale let older ones in. */
  definitions: DefinitionsRecord;
  /** On a spine: its file, its carried columns, and per pair its events and those with a row. */
  spine?: {
    file: string;
    format: string;
    events: number;
    carried: string[];
    barConvention: string;
    perPair: Record<string, { events: number; rows: number }>;
  };
}

function gitCommit(): string | null {
  try {
    const head = fs.readFileSync(path.join(ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    const loose = path.join(ROOT, '.git', ref);
    if (fs.existsSync(loose)) return fs.readFileSync(loose, 'utf8').trim();
    const packed = fs
      .readFileSync(path.join(ROOT, '.git', 'packed-refs'), 'utf8')
      .split('\n')
      .find((l) => l.endsWith(` ${ref}`));
    return packed ? packed.split(' ')[0] : null;
  } catch {
    return null;
  }
}

export async function writeManifest(
  dir: string,
  pool: pg.Pool,
  duck: DuckSession,
  r: {
    options: DatasetOptions;
    featureSet: FeatureSet;
    cuts: Cuts;
    pairs: PairBuild[];
    selection: SelectionResult;
    baseline: BaselineResult;
    spine?: SpineInfo | null;
    definitions: DefinitionsRecord;
  },
): Promise<Manifest> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const pgVersion = (await pool.query<{ server_version: string }>(loadSql(import.meta.url, './sql/pg_server_version.sql'))).rows[0]
    .server_version;
  // the same list bqx doctor reads; the last one applied names the schema the dataset came from
  const mig = await pool
    .query<{ name: string }>(loadSql(import.meta.url, '../verify/sql/applied_migrations.sql'))
    .catch(() => ({ rows: [] as Array<{ name: string }> }));
  const { onPair: _p, onStage: _s, ...options } = r.options;
  const fs_ = r.featureSet;
  const m: Manifest = {
    format: MANIFEST_FORMAT,
    created: new Date().toISOString(),
    versions: {
      bqxStore: pkg.version,
      git: gitCommit(),
      postgres: pgVersion,
      lastMigration: mig.rows.at(-1)?.name ?? null,
      duckdb: await duck.version(),
      node: process.version,
    },
    options: {
      ...options,
      from: new Date(options.from).toISOString(),
      to: new Date(options.to).toISOString(),
      out: path.resolve(options.out),
    },
    pairs: r.pairs.map((p) => p.pair),
    range: { from: new Date(r.options.from).toISOString(), to: new Date(r.options.to).toISOString() },
    split: {
      shares: SPLIT_SHARES,
      validationFrom: r.cuts.cut1.toISOString(),
      testFrom: r.cuts.cut2.toISOString(),
      purgeBars: Math.max(...fs_.horizons),
    },
    features: {
      families: fs_.families,
      lags: fs_.lags,
      count: fs_.columns.length,
      warmupBars: fs_.warmup,
      columns: fs_.columns.map((c) => ({ name: c.name, family: c.family, lag: c.lag })),
    },
    labels: fs_.labels,
    target: r.selection.target,
    selected: r.selection.selected,
    scaler: r.baseline.scaler,
    rows: Object.fromEntries(
      r.pairs.map((p) => [p.pair, { train: p.files!.train.rows, validation: p.files!.validation.rows, test: p.files!.test.rows }]),
    ),
    files: r.pairs.flatMap((p) => Object.values(p.files!)),
    leakage: Object.fromEntries(r.pairs.map((p) => [p.pair, p.leakage!])),
    baseline: r.baseline.horizons,
    definitions: r.definitions,
    ...(r.spine
      ? {
          spine: {
            file: r.spine.file,
            format: r.spine.format,
            events: r.spine.events,
            carried: r.spine.carried,
            barConvention: 'an event at ts gets the latest bar T with T + 1 min <= ts (bars are stamped with their open instant)',
            perPair: Object.fromEntries(r.pairs.map((p) => [p.pair, { events: p.events?.total ?? 0, rows: p.events?.kept ?? 0 }])),
          },
        }
      : {}),
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  return m;
}
