/**
 * A new family is one catalog entry (issue 16, item 1). In a copy of the repository (test/support/
 * repoCopy.ts) the only hand edit is an entry in the catalog's FAMILIES (src/features/catalog/index.ts):
 * bar_gap, two columns computed bar by bar from m1 (catalog `perBar`). The generators then write the
 * migration and sql/, and the copy's CLI migrates an empty database, refreshes it, shows the family in
 * the feature views, verifies the store and extracts the family into a dataset. Its values are checked
 * against the m1 rows, computed here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { createDatabase, type TestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { copyRepo, type RepoCopy } from '../support/repoCopy.ts';

const PAIR = 'eurusd';
const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 5);
const LONG = 900_000;

/** Every file of the copy's tracked trees that differs from the checkout's or is new, relative paths. */
function changedFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = path.join(rel, e.name);
      if (e.isDirectory()) walk(p);
      else if (!fs.existsSync(path.join(ROOT, p)) || !fs.readFileSync(path.join(ROOT, p)).equals(fs.readFileSync(path.join(dir, p))))
        out.push(p);
    }
  };
  for (const d of ['src', 'sql', 'migrations']) walk(d);
  return out.sort();
}

describe('a family added as one catalog entry', () => {
  let repo: RepoCopy;
  let db: TestDatabase & { drop(): Promise<void> };
  let csv: string;
  const cli = async (...args: string[]) => {
    const r = await repo.bqx(db.url, ...args);
    expect(r.code, `bqx ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    repo = copyRepo();
    repo.edit(
      'src/features/catalog/index.ts',
      "import type { FamilyDef } from './types.ts';",
      "import { col, type FamilyDef } from './types.ts';",
    );
    repo.edit(
      'src/features/catalog/index.ts',
      '  correlationFeatures,\n  labels,\n',
      `  correlationFeatures,
  {
    family: 'bar_gap',
    kind: 'sql',
    description: 'Range and close position of each bar',
    dependsOn: ['m1'],
    lookbackBars: 0,
    countsAsFeature: true,
    columns: [
      col('bar_range_pct', 'rate', null, '(high - low) / close', { laggable: true }),
      col('bar_close_pos', 'rate', null, '(close - low) / (high - low)', { nullRule: 'NULL when high = low' }),
    ],
    perBar: { bar_range_pct: '(high - low) / close', bar_close_pos: 'case when high > low then (close - low) / (high - low) end' },
  },
  labels,
`,
    );
    const gen = await repo.node('bin/run-ts.mjs', ['scripts/gen-catalog-migration.ts']);
    expect(gen.code, gen.stderr).toBe(0);
    const sqlGen = await repo.node('bin/run-ts.mjs', ['scripts/gen-sql.ts']);
    expect(sqlGen.code, sqlGen.stderr).toBe(0);
    csv = (await synthToFile(tmpPath('new-family.csv'), { seed: 16, from: FROM, to: TO, pairs: [PAIR] })).file;
    db = await createDatabase({ empty: true });
  }, LONG);

  afterAll(async () => {
    await db?.drop();
    repo?.remove();
  }, LONG);

  it('needs no hand edit but the catalog entry: the rest is generated', () => {
    const changed = changedFiles(repo.dir);
    const hand = changed.filter((f) => f.startsWith('src/'));
    expect(hand).toEqual(['src/features/catalog/index.ts']);
    const generated = changed.filter((f) => !f.startsWith('src/'));
    expect(generated).toEqual(
      expect.arrayContaining([
        'sql/functions/bqx.refresh_bar_gap.sql',
        'sql/views/bqx.features_eurusd.sql',
        'sql/checks/no_nan_or_infinity.sql',
      ]),
    );
    expect(generated.filter((f) => f.startsWith('migrations/'))).toHaveLength(1);
  });

  it(
    'is migrated, refreshed with the values of its expressions, and in the feature views',
    async () => {
      await cli('migrate');
      await cli('ingest', csv);
      await cli('refresh', '--pairs', PAIR, '--json');
      const { rows } = await db.pool.query(
        `select m.high, m.low, m.close, g.bar_range_pct, g.bar_close_pos
      from bqx.m1 m left join bqx.bar_gap g using (pair, ts_utc) where m.pair = $1 order by m.ts_utc`,
        [PAIR],
      );
      expect(rows.length).toBeGreaterThan(4 * 1400);
      for (const r of rows) {
        expect(r.bar_range_pct).toBe((r.high - r.low) / r.close);
        expect(r.bar_close_pos).toBe(r.high > r.low ? (r.close - r.low) / (r.high - r.low) : null);
      }
      const view = (await db.pool.query(`select count(bar_range_pct)::int as n, count(*)::int as total from bqx.features_${PAIR}`)).rows[0];
      expect(view.n).toBe(rows.length);
      expect(view.total).toBe(rows.length);
      const lagged = (await db.pool.query(`select count(bar_range_pct_lag60)::int as n from bqx.lagged_features_${PAIR}`)).rows[0];
      expect(lagged.n).toBe(rows.length - 60);
    },
    LONG,
  );

  it(
    'is verified and extracted into a dataset',
    async () => {
      const v = JSON.parse((await cli('verify', '--json', '--samples', '3')).stdout) as {
        ok?: boolean;
        checks?: Array<{ check: string; status: string }>;
      };
      expect(JSON.stringify(v)).toMatch(/no_nan_or_infinity/);
      const out = tmpPath('new-family-dataset');
      await cli(
        'dataset',
        'build',
        '--pairs',
        PAIR,
        '--from',
        '2024-07-01',
        '--to',
        '2024-07-05',
        '--features',
        'bar_gap',
        '--trees',
        '4',
        '--depth',
        '3',
        '--top',
        '3',
        '--out',
        out,
      );
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
      expect(manifest.features.families).toEqual(['bar_gap']);
      const names = (manifest.features.columns as Array<{ name: string }>).map((c) => c.name);
      expect(names).toEqual(expect.arrayContaining(['bar_range_pct', 'bar_close_pos', 'bar_range_pct_lag60']));
    },
    LONG,
  );
});
