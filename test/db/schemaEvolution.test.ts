/**
 * Issue 15: a store that holds data goes through a catalog change the way a developer makes one
 * (catalog + generator edited, migration generated, sql/ regenerated, `bqx migrate`), in a scratch copy
 * of the repository; migrate drops stale overloads and the objects of deleted sql/ files; doctor names an
 * edited migration; readers of the views see no error and the same rows while migrate re-creates them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, withLockRetry } from '../../src/db/lockRetry.ts';
import { migrate } from '../../src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/db/paths.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { refreshFamily } from '../../src/runner/refreshFamily.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { doctor } from '../../src/verify/doctor.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { addSydneyColumn, copyRepo, type RepoCopy } from '../support/repoCopy.ts';

const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 3);
const FAMILIES = ['bqx', 'volume_features', 'time_features', 'spread_features'];
const READ = `select count(*)::int as n, sum(close) as close, sum(is_tokyo) as tokyo, sum(w15_bqx_return) as bqx
  from bqx.features_eurusd where ts_utc >= '2024-07-01' and ts_utc < '2024-07-03'`;

describe('a catalog change on a store that holds data', () => {
  const t = useTestDatabase();
  let repo: RepoCopy;
  beforeAll(async () => {
    const file = tmpPath('bars.csv');
    await synthToFile(file, { seed: 15, from: FROM, to: TO, pairs: ['eurusd'] });
    await ingestSource(t.pool, openSource(file));
    for (const f of FAMILIES) await refreshFamily(t.pool, f, 'eurusd', { from: FROM, to: TO });
    repo = copyRepo();
  }, 120_000);
  afterAll(() => repo?.remove());

  it('adds a column in the middle of a family: generated migration, regenerated sql/, migrate exits 0 while readers read, the views show it', async () => {
    const before = (await t.pool.query(READ)).rows[0];
    expect(before.n).toBeGreaterThan(2000);
    const out = await addSydneyColumn(repo);
    const stamped = /migrations\/((\d+)_catalog_time_features_add_is_sydney)\.sql/.exec(out);
    expect(stamped, out).not.toBeNull();
    const [, migration, stamp] = stamped!;
    expect(fs.readFileSync(path.join(repo.dir, 'migrations', `${migration}.sql`), 'utf8')).toMatch(
      /^alter table bqx\."time_features" add column "is_sydney" double precision;$/m,
    );
    // the generator never writes over a migration: the same timestamp again is refused
    repo.edit('src/features/catalog/time.ts', "t('is_sydney',", "t('is_wellington', '0'),\n    t('is_sydney',");
    const again = await repo.node('bin/run-ts.mjs', ['scripts/gen-catalog-migration.ts', '--timestamp', stamp!]);
    expect(again.code).not.toBe(0);
    repo.edit('src/features/catalog/time.ts', "t('is_wellington', '0'),\n    ", '');

    // a reader loop over a view that migrate re-creates: no error, the same answer every time
    let stop = false;
    const seen: unknown[] = [];
    const errors: string[] = [];
    const reader = (async () => {
      while (!stop) {
        try {
          seen.push((await t.pool.query(READ)).rows[0]);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    })();
    const m = await repo.bqx(t.url, 'migrate', '--json');
    stop = true;
    await reader;
    expect(m.code, m.stderr).toBe(0);
    const result = JSON.parse(m.stdout);
    expect(result.migrations).toEqual([migration]);
    expect(result.sqlApplied).toEqual(
      expect.arrayContaining([
        'sql/views/bqx.features_eurusd.sql',
        'sql/views/bqx.features.sql',
        'sql/functions/bqx.refresh_time_features.sql',
      ]),
    );
    expect(errors).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s).toEqual(before);

    // the views show the column in catalog order; the data stayed; old rows read NULL until refreshed
    const cols = async (view: string) =>
      (
        await t.pool.query(
          `select column_name from information_schema.columns where table_schema = 'bqx' and table_name = $1 order by ordinal_position`,
          [view],
        )
      ).rows.map((r) => r.column_name);
    const pairCols = await cols('features_eurusd');
    expect(pairCols.slice(pairCols.indexOf('is_tokyo'), pairCols.indexOf('is_tokyo') + 3)).toEqual(['is_tokyo', 'is_sydney', 'is_london']);
    expect(await cols('features')).toEqual(pairCols.map((c) => c));
    expect((await t.pool.query(READ)).rows[0]).toEqual(before);
    expect((await t.pool.query(`select count(is_sydney)::int as n from bqx.features_eurusd`)).rows[0].n).toBe(0);

    const r = await repo.bqx(
      t.url,
      'refresh',
      '--family',
      'time_features',
      '--pair',
      'eurusd',
      '--from',
      '2024-07-01',
      '--to',
      '2024-07-03',
    );
    expect(r.code, r.stderr).toBe(0);
    // independently: the Sydney session is 21:00-06:00 UTC
    const check = await t.pool.query(`select count(*)::int as n,
        count(*) filter (where is_sydney is distinct from (case when extract(hour from ts_utc at time zone 'UTC') >= 21 or extract(hour from ts_utc at time zone 'UTC') < 6 then 1 else 0 end))::int as wrong,
        sum(is_sydney)::int as ones
      from bqx.features_eurusd where ts_utc >= '2024-07-01' and ts_utc < '2024-07-03'`);
    expect(check.rows[0]).toMatchObject({ n: before.n, wrong: 0 });
    expect(check.rows[0].ones).toBeGreaterThan(100);
    const doc = await repo.bqx(t.url, 'doctor', '--json');
    expect(JSON.parse(doc.stdout).findings, doc.stdout).toEqual([]);
    expect(doc.code).toBe(0);
  }, 300_000);

  it('drops the object of a deleted sql/ file, after doctor names it', async () => {
    fs.writeFileSync(
      path.join(repo.dir, 'sql/views/bqx.scratch_view.sql'),
      'create or replace view bqx.scratch_view as select 1 as one;\n',
    );
    expect((await repo.bqx(t.url, 'migrate')).code).toBe(0);
    expect((await t.pool.query(`select to_regclass('bqx.scratch_view') as v`)).rows[0].v).toBe('bqx.scratch_view');
    fs.rmSync(path.join(repo.dir, 'sql/views/bqx.scratch_view.sql'));
    const doc = JSON.parse((await repo.bqx(t.url, 'doctor', '--json')).stdout);
    expect(doc.findings).toEqual([
      expect.objectContaining({
        object: 'sql/views/bqx.scratch_view.sql',
        status: 'orphaned',
        detail: expect.stringMatching(/run bqx migrate \(it drops it\)/),
      }),
    ]);
    const m = JSON.parse((await repo.bqx(t.url, 'migrate', '--json')).stdout);
    expect(m.sqlDropped).toEqual(['bqx.scratch_view']);
    expect((await t.pool.query(`select to_regclass('bqx.scratch_view') as v`)).rows[0].v).toBeNull();
    expect(JSON.parse((await repo.bqx(t.url, 'doctor', '--json')).stdout).findings).toEqual([]);
  }, 120_000);
});

describe('stale overloads and edited migrations', () => {
  const t = useTestDatabase();

  it('an overload a signature change left behind is reported by doctor and dropped by migrate', async () => {
    // what `create or replace function bqx.setting(p_key text, p_default text)` in an older file leaves
    await t.pool.query(
      `create function bqx.setting(p_key text, p_default text) returns text language sql stable as $$ select coalesce(bqx.setting(p_key), p_default) $$`,
    );
    const report = await doctor(t.pool);
    // (bqx.setting's live definition, all its overloads, differs from the file's too)
    expect(report.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ area: 'sql', object: 'bqx.setting(text,text)', status: 'stale-overload' })]),
    );
    expect(report.fix).toBe('run bqx migrate');
    const r = await migrate(t.pool);
    expect(r.sqlDropped).toEqual(['bqx.setting(text,text)']);
    expect(
      (await t.pool.query(`select count(*)::int as n from pg_proc where proname = 'setting' and pronamespace = 'bqx'::regnamespace`))
        .rows[0].n,
    ).toBe(1);
    expect((await doctor(t.pool)).findings).toEqual([]);
    expect((await migrate(t.pool)).sqlApplied).toEqual([]);
  });

  it('a migration edited after it ran is named by doctor, with the fix', async () => {
    const recorded = (
      await t.pool.query(`select count(*)::int as n, count(*) filter (where source = 'ran')::int as ran from bqx.migration_checksums`)
    ).rows[0];
    expect(recorded.n).toBe(fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
    expect(recorded.ran).toBe(recorded.n);
    const dir = tmpPath('migrations');
    fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    expect((await doctor(t.pool, { migrationsDir: dir })).findings).toEqual([]);
    fs.appendFileSync(path.join(dir, '1764200000000_holidays.sql'), '\n-- an afterthought\n');
    const report = await doctor(t.pool, { migrationsDir: dir });
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      expect.objectContaining({
        area: 'migrations',
        object: '1764200000000_holidays',
        status: 'edited',
        detail: expect.stringMatching(
          /migrations\/1764200000000_holidays\.sql changed after it was applied .*restore the file .* new migration/,
        ),
      }),
    ]);
    expect(report.fix).toBeNull();
  });

  it('backfills the checksums of migrations applied before they were recorded, from the merged lock', async () => {
    await t.pool.query(`delete from bqx.migration_checksums where name <> '1764900000000_migration_checksums'`);
    await migrate(t.pool);
    const rows = (await t.pool.query(`select source, count(*)::int as n from bqx.migration_checksums group by source order by source`))
      .rows;
    expect(rows).toEqual([
      { source: 'lock', n: rows[0].n },
      { source: 'ran', n: 1 },
    ]);
    expect((await doctor(t.pool)).findings).toEqual([]);
  });

  it('lock-taking DDL gives up after lock_timeout and starts over, instead of queueing readers behind it', async () => {
    const reader = await t.pool.connect();
    const c = await t.pool.connect();
    const retries: number[] = [];
    try {
      await reader.query('begin');
      await reader.query('select count(*) from bqx.settings');
      const ddl = () =>
        withLockRetry(c, { lockTimeoutMs: 50, attempts: 3, backoffMs: 10, onRetry: (n) => retries.push(n) }, 'settings ddl', () =>
          inTransaction(c, () => c.query('alter table bqx.settings add column probe int')),
        );
      await expect(ddl()).rejects.toMatchObject({
        code: 'BQX_LOCKED',
        message: expect.stringMatching(/^settings ddl: gave up after 3 attempts waiting 50 ms/),
      });
      expect(retries).toEqual([1, 2]);
      // given up, it holds nothing: readers are served
      expect((await t.pool.query('select count(*)::int as n from bqx.settings')).rows[0].n).toBeGreaterThan(3);
      await reader.query('commit');
      await ddl();
      expect(
        (
          await t.pool.query(
            `select count(*)::int as n from information_schema.columns where table_schema = 'bqx' and table_name = 'settings' and column_name = 'probe'`,
          )
        ).rows[0].n,
      ).toBe(1);
      await t.pool.query('alter table bqx.settings drop column probe');
    } finally {
      await c.query('reset lock_timeout');
      reader.release();
      c.release();
    }
  });
});
