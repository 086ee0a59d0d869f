/**
 * `bqx demo --quick` end to end through the CLI, then every SQL example of the README against the store
 * it built (and the DuckDB one against its dataset), so the README cannot go stale.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DEMO_PRESETS } from '../../src/cli/commands/demo.ts';
import { ROOT } from '../../src/db/paths.ts';
import { CROSS_SECTIONAL, FAMILIES } from '../../src/features/catalog/index.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { readmeSqlExamples } from '../support/readmeSql.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');

describe('bqx demo --quick', () => {
  const t = useTestDatabase();
  const datasetDir = tmpPath('quick-dataset');
  let out: {
    rowsPerPair: Array<{ pair: string; rows: number }>;
    csv: { file: string; rows: number; kept: boolean; bytes: number };
    ingest: { inserted: number };
    refresh: Array<{ family: string; rows: number; pairs: number }>;
    dataset: { out: string; rows: Record<string, Record<string, number>>; selected: string[]; files: number };
    disk: { databaseBytes: number; datasetBytes: number };
    store: { embedded: boolean };
  };
  let stderr = '';

  it('builds every family for a few pairs and days and a small dataset, and says what it stored', async () => {
    const r = await run(process.execPath, [BIN, 'demo', '--quick', '--json', '--dataset-out', datasetDir, '--database-url', t.url], {
      env: { ...process.env, DATABASE_URL: '', BQX_PROGRESS_SECONDS: '1' },
      maxBuffer: 1 << 26,
    });
    out = JSON.parse(r.stdout);
    stderr = r.stderr;
    const pairs = DEMO_PRESETS.quick.pairs.split(',');
    expect(out.rowsPerPair.map((p) => p.pair).sort()).toEqual([...pairs].sort());
    // three weekdays of minutes per pair, less the generator's ~0.1% missing minutes
    for (const p of out.rowsPerPair) expect(p.rows).toBeGreaterThan(3 * 1440 * 0.99);
    expect(out.ingest.inserted).toBe(out.csv.rows);
    // the temporary CSV is gone
    expect(out.csv.kept).toBe(false);
    expect(fs.existsSync(out.csv.file)).toBe(false);
    expect(fs.existsSync(path.dirname(out.csv.file))).toBe(false);

    // every refreshable family, each pair, one row per bar: in the report and in the tables; the pair-local
    // families first, then the cross-section (Wave 3: 8 currencies per grid minute, and the aligned pairs
    // one row per grid minute, the union of the pairs' bar minutes), then the families reading it
    const crossNames = new Set(CROSS_SECTIONAL.map((f) => f.family));
    const perPair = FAMILIES.filter((f) => f.kind !== 'base');
    const readsCross = perPair.filter((f) => f.dependsOn.some((d) => crossNames.has(d))).map((f) => f.family);
    const refreshable = perPair.map((f) => f.family).filter((f) => !readsCross.includes(f));
    expect(readsCross).toEqual(['correlation_features']);
    expect(out.refresh.map((f) => f.family)).toEqual([...refreshable, 'currency_strength', 'cross_returns', ...readsCross]);
    for (const f of out.refresh.filter((x) => !crossNames.has(x.family)))
      expect({ family: f.family, rows: f.rows, pairs: f.pairs }).toEqual({ family: f.family, rows: out.csv.rows, pairs: pairs.length });
    const grid = (await t.pool.query(`select count(distinct ts_utc)::int as n from bqx.m1`)).rows[0].n;
    expect(out.refresh.find((f) => f.family === 'currency_strength')!.rows).toBe(8 * grid);
    expect(out.refresh.find((f) => f.family === 'cross_returns')!.rows).toBe(grid);
    expect((await t.pool.query(`select count(*)::int as n from bqx.currency_strength`)).rows[0].n).toBe(8 * grid);
    expect((await t.pool.query(`select count(*)::int as n from bqx.cross_returns`)).rows[0].n).toBe(grid);
    for (const f of FAMILIES) {
      const { rows } = await t.pool.query(`select pair, count(*)::int as n from bqx.${f.family} group by pair order by pair`);
      expect(rows, f.family).toEqual(
        out.rowsPerPair.map((p) => ({ pair: p.pair, n: p.rows })).sort((a, b) => a.pair.localeCompare(b.pair)),
      );
    }
    // and every feature column holds values somewhere (the small store still exercises every formula)
    const { rows: fams } = await t.pool.query('select distinct family from bqx.dq_missing_share order by family');
    expect(fams.length).toBeGreaterThanOrEqual(11);
    const { rows: empty } = await t.pool.query(`select c.family, c.column_name from bqx.feature_catalog c
      where c.family in (select family from bqx.dq_missing_share)
        and not exists (select 1 from bqx.dq_missing_share d where d.family = c.family and d.column_name = c.column_name and d.missing_share < 1)`);
    // A currency's strength needs its 7 pairs (NULL otherwise, by definition): with the quick demo's three
    // pairs every currency lacks some, so the correlations and betas against the strengths are NULL on
    // every row; every other column holds values.
    const strengthless = (c: { family: string; column_name: string }) =>
      c.family === 'correlation_features' && /^(corr|beta)_/.test(c.column_name);
    expect(empty.filter((c) => !strengthless(c))).toEqual([]);
    expect(empty.filter(strengthless)).toHaveLength(60);
    expect((await t.pool.query(`select count(strength_level)::int as n from bqx.currency_strength`)).rows[0].n).toBe(0);

    // the dataset on disk is the one the demo reported
    const manifest = JSON.parse(fs.readFileSync(path.join(datasetDir, 'manifest.json'), 'utf8'));
    expect(out.dataset.out).toBe(datasetDir);
    expect(manifest.rows).toEqual(out.dataset.rows);
    expect(manifest.files).toHaveLength(pairs.length * 3);
    expect(out.dataset.files).toBe(pairs.length * 3);
    for (const f of manifest.files) expect(fs.existsSync(path.join(datasetDir, f.path)), f.path).toBe(true);
    for (const pair of pairs)
      for (const split of ['train', 'validation', 'test']) expect(out.dataset.rows[pair][split]).toBeGreaterThan(500);
    expect(manifest.selected).toEqual(out.dataset.selected);
    expect(manifest.options).toMatchObject({ trees: Number(DEMO_PRESETS.quick.trees), selectRows: Number(DEMO_PRESETS.quick.selectRows) });
    expect(manifest.pairs).toEqual(out.rowsPerPair.map((p) => p.pair));
    expect(fs.existsSync(path.join(datasetDir, 'report.html'))).toBe(true);

    // disk use as the database and the file system count it
    const {
      rows: [db],
    } = await t.pool.query('select pg_database_size(current_database())::bigint as bytes');
    expect(Math.abs(Number(db.bytes) - out.disk.databaseBytes) / Number(db.bytes)).toBeLessThan(0.05);
    const files = fs.readdirSync(datasetDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(out.disk.datasetBytes).toBe(files.reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0));
    expect(out.store.embedded).toBe(false);

    // off a terminal with --json, progress is JSON lines on stderr: steps, and counts every second
    const events = stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event: string; step?: string; task?: string; done?: number; total?: number });
    expect(events.filter((e) => e.event === 'step').map((e) => e.step)).toEqual(
      expect.arrayContaining(['migrating', 'dataset: extract', 'dataset: select']),
    );
    const refreshTicks = events.filter((e) => e.event === 'progress' && e.task === 'refresh');
    expect(refreshTicks.length).toBeGreaterThan(0);
    // every family of each pair, and one unit per cross-sectional table (for all the pairs)
    for (const e of refreshTicks) expect(e.total).toBe((refreshable.length + readsCross.length) * pairs.length + 2);
  }, 900_000);

  it('every SQL example of the README runs against the store the demo built', async () => {
    expect(out, 'the demo test must run first').toBeDefined();
    const examples = readmeSqlExamples();
    expect(examples.filter((e) => e.engine === 'postgres').length).toBeGreaterThanOrEqual(8);
    expect(examples.filter((e) => e.engine === 'duckdb').length).toBeGreaterThanOrEqual(1);
    const client = await t.pool.connect();
    try {
      for (const ex of examples.filter((e) => e.engine === 'postgres')) {
        const r = await client.query(ex.sql).catch((e: Error) => {
          throw new Error(`README example failed: ${e.message}\n${ex.sql}`);
        });
        // every example shows something on the demo's store (pairs and days the quick demo has)
        expect(r.rows.length, ex.sql).toBeGreaterThan(0);
        expect(r.fields.length, ex.sql).toBeGreaterThan(0);
      }
    } finally {
      client.release();
    }
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    try {
      for (const ex of examples.filter((e) => e.engine === 'duckdb')) {
        // the README reads out/dataset; the demo wrote here
        const rows = (await conn.runAndReadAll(ex.sql.replace(/'out\/[a-z-]+\//g, `'${datasetDir}/`))).getRowObjectsJS();
        const train = Object.values(out.dataset.rows).reduce((n, p) => n + p.train, 0);
        expect(rows.length, ex.sql).toBe(train);
      }
    } finally {
      conn.closeSync();
      duck.closeSync();
    }
  }, 300_000);
});
