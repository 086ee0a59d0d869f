import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { migrate, migrateDown, migrateSchemaOnly } from '../../src/db/migrate.ts';
import { MIGRATIONS_DIR, ROOT } from '../../src/db/paths.ts';
import { FAMILIES } from '../../src/features/catalog/index.ts';
import { CURRENCIES, PAIR_NAMES } from '../../src/features/pairs.ts';
import { doctor } from '../../src/verify/doctor.ts';
import { createDatabase, useTestDatabase } from '../support/db.ts';
import { schemaFingerprint } from '../support/fingerprint.ts';

/** Every migration in migrations/, in the order node-pg-migrate applies them. */
const execP = promisify(execFile);
const MIGRATIONS = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.replace(/\.sql$/, ''))
  .sort();

describe('schema', () => {
  const t = useTestDatabase();

  it('has a LIST(pair) parent per family with one RANGE(ts_utc) child per pair, named bqx.{family}_{pair}', async () => {
    const { rows } = await t.pool.query(`
      select p.relname as parent, c.relname as child, pg_get_partkeydef(p.oid) as parent_key, pg_get_partkeydef(c.oid) as child_key,
             pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class p on p.oid = i.inhparent join pg_class c on c.oid = i.inhrelid
      where p.relnamespace = 'bqx'::regnamespace and p.relkind = 'p' and not p.relispartition order by 1, 2`);
    // the per-pair families, and the cross-section keyed by currency (Wave 3): LIST (currency), then by month
    expect(rows).toHaveLength(FAMILIES.length * 28 + CURRENCIES.length);
    const cs = rows.filter((r) => r.parent === 'currency_strength');
    expect(cs.map((r) => r.child)).toEqual(CURRENCIES.map((c) => `currency_strength_${c}`).sort());
    expect(cs[0].parent_key).toBe('LIST (currency)');
    expect(cs.every((r) => r.child_key === 'RANGE (ts_utc)')).toBe(true);
    for (const f of FAMILIES) {
      const kids = rows.filter((r) => r.parent === f.family);
      expect(kids.map((r) => r.child)).toEqual(PAIR_NAMES.map((p) => `${f.family}_${p}`));
      expect(kids[0].parent_key).toBe('LIST (pair)');
      expect(kids.every((r) => r.child_key === 'RANGE (ts_utc)')).toBe(true);
      expect(kids.find((r) => r.child === `${f.family}_eurusd`)!.bound).toBe("FOR VALUES IN ('eurusd')");
    }
    // No default partition anywhere: an unknown pair or an unmade month is an error, never swallowed.
    const defaults = await t.pool.query(
      `select count(*)::int as n from pg_class where relnamespace = 'bqx'::regnamespace and pg_get_expr(relpartbound, oid) = 'DEFAULT'`,
    );
    expect(defaults.rows[0].n).toBe(0);
  });

  it('matches the catalog column for column (doctor reports no drift) and fills bqx.feature_catalog from it', async () => {
    const report = await doctor(t.pool);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    const { rows } = await t.pool.query(
      `select family, count(*)::int as n, sum(counts_as_feature::int)::int as features from bqx.feature_catalog group by family`,
    );
    const byFamily = Object.fromEntries(rows.map((r) => [r.family, r.n]));
    for (const f of FAMILIES) expect(byFamily[f.family]).toBe(f.columns.length);
    expect(rows.reduce((n, r) => n + r.features, 0)).toBe(543); // 433 + fibonacci_features and correlation_features (Wave 3)
    // the features NULL often by their own definition, as the dataset pipeline treats them
    const sparse = await t.pool.query(`select column_name from bqx.feature_catalog where sparse order by family, ord`);
    expect(sparse.rows.map((r) => r.column_name)).toEqual([
      'roll_cost_60',
      ...[5, 15, 30, 60, 120].map((w) => `rate_updown_ratio_${w}`),
      ...[5, 15, 30, 60, 120].map((w) => `bqx_updown_ratio_${w}`),
    ]);
  });

  it('loads the holiday calendar from date-holidays ten years ahead, per market', async () => {
    const { rows } = await t.pool.query(
      `select country, count(*)::int as n, max(day) as last from bqx.holidays group by country order by country`,
    );
    expect(rows.map((r) => r.country)).toEqual(['JP', 'UK', 'US']);
    const aheadYear = new Date().getUTCFullYear() + 10;
    for (const r of rows) expect((r.last as Date).getFullYear(), r.country).toBe(aheadYear);
    const day = async (c: string, d: string) =>
      (await t.pool.query(`select name from bqx.holidays where country = $1 and day = $2`, [c, d])).rows[0]?.name;
    expect(await day('US', '2024-07-04')).toBe('Independence Day');
    expect(await day('UK', '2024-08-26')).toBe('Summer bank holiday');
    expect(await day('US', '2024-02-14')).toBeUndefined(); // an observance, not a holiday
  });

  it('a second migrate changes nothing', async () => {
    const before = await schemaFingerprint(t.pool);
    const r = await migrate(t.pool);
    expect(r).toEqual({
      migrations: [],
      sqlApplied: [],
      sqlUnchanged: r.sqlUnchanged,
      sqlDropped: [],
      catalogRowsChanged: 0,
      holidaysChanged: 0,
    });
    expect(r.sqlUnchanged).toBeGreaterThan(5);
    expect(await schemaFingerprint(t.pool)).toEqual(before);
  });

  it('doctor names an object edited in the database, and migrate restores the file version', async () => {
    const before = await schemaFingerprint(t.pool);
    await t.pool.query(`create or replace function bqx.setting(p_key text) returns text language sql stable as $$ select 'tampered' $$`);
    await t.pool.query(`create function bqx.handmade() returns int language sql as $$ select 1 $$`);
    const report = await doctor(t.pool);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ area: 'sql', object: 'bqx.setting', status: 'edited' }),
        expect.objectContaining({ area: 'schema', object: 'bqx.handmade', status: 'unmanaged' }),
      ]),
    );
    const r = await migrate(t.pool);
    expect(r.sqlApplied).toEqual(['sql/functions/bqx.setting.sql']);
    await t.pool.query('drop function bqx.handmade()');
    expect(await schemaFingerprint(t.pool)).toEqual(before);
    expect((await doctor(t.pool)).ok).toBe(true);
  });

  it('down then up gives the identical catalog', async () => {
    const before = await schemaFingerprint(t.pool);
    expect(before.lines).toBeGreaterThan(5000);
    expect(await migrateDown(t.pool)).toEqual([...MIGRATIONS].reverse());
    const gone = await t.pool.query(`select to_regnamespace('bqx') as ns`);
    expect(gone.rows[0].ns).toBeNull();
    await migrate(t.pool);
    expect(await schemaFingerprint(t.pool)).toEqual(before);
  });
});

describe('concurrent migrate', () => {
  it('two migrates at once on an empty database both succeed and build one schema', async () => {
    const db = await createDatabase({ empty: true });
    try {
      const [a, b] = await Promise.all([migrate(db.pool), migrate(db.pool)]);
      expect([...a.migrations, ...b.migrations]).toEqual(MIGRATIONS);
      expect((await doctor(db.pool)).ok).toBe(true);
      const ref = await createDatabase();
      try {
        expect(await schemaFingerprint(db.pool)).toEqual(await schemaFingerprint(ref.pool));
      } finally {
        await ref.drop();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('a migrate killed between its two phases', () => {
  it('leaves a store that doctor and every command say to migrate, and a rerun of migrate repairs it', async () => {
    const db = await createDatabase({ empty: true });
    try {
      // the first phase alone is what a migrate killed after node-pg-migrate committed leaves behind
      expect(await migrateSchemaOnly(db.pool)).toEqual(MIGRATIONS);
      expect((await db.pool.query(`select to_regprocedure('bqx.refresh_bqx(text,timestamptz,timestamptz)') as f`)).rows[0].f).toBeNull();
      const report = await doctor(db.pool);
      expect(report.ok).toBe(false);
      expect(report.fix).toBe('run bqx migrate');
      expect(report.findings[0]).toMatchObject({ area: 'sql', status: 'missing' });
      expect(report.findings[0].detail).toMatch(/interrupted.*run bqx migrate/);
      const bin = path.join(ROOT, 'bin', 'bqx.mjs');
      const cli = async (...args: string[]) =>
        execP(process.execPath, [bin, ...args, '--database-url', db.url]).then(
          (r) => ({ code: 0, ...r }),
          (e) => e,
        );
      const doc = await cli('doctor');
      expect(doc.code).toBe(5);
      expect(doc.stdout).toMatch(/fix: run bqx migrate/);
      // a command that needs the functions says what to do, with the configuration exit code
      const st = await cli('status');
      expect(st.code, st.stderr).toBe(2);
      expect(st.stderr).toMatch(/BQX_CONFIG: function bqx\.\S+ does not exist/);
      expect(st.stderr).toMatch(/run `bqx migrate`/);
      const r = await migrate(db.pool);
      expect(r.migrations).toEqual([]);
      expect(r.sqlApplied.length).toBeGreaterThan(50);
      expect((await doctor(db.pool)).ok).toBe(true);
      const ref = await createDatabase();
      try {
        expect(await schemaFingerprint(db.pool)).toEqual(await schemaFingerprint(ref.pool));
      } finally {
        await ref.drop();
      }
    } finally {
      await db.drop();
    }
  }, 300_000);
});
