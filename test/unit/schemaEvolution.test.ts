import { describe, expect, it } from 'vitest';
import { diffCatalog } from '../../src/db/catalogDiff.ts';
import { readCatalogSnapshot } from '../../src/db/catalogSnapshot.ts';
import { migrationChecksums, readMigrationLock } from '../../src/db/migrationLock.ts';
import { FAMILIES, type FamilyDef } from '../../src/features/catalog/index.ts';
import { col } from '../../src/features/catalog/types.ts';

const fam = (name: string) => FAMILIES.find((f) => f.family === name)!;
const withFamily = (name: string, change: (f: FamilyDef) => FamilyDef) => FAMILIES.map((f) => (f.family === name ? change(f) : f));

describe('catalog snapshot (sql/schema/catalog.json)', () => {
  it('matches the catalog: every catalog change has its migration', () => {
    const diff = diffCatalog(FAMILIES, readCatalogSnapshot());
    expect(diff.statements, 'the catalog changed without a migration: run npm run gen:catalog-migration, then npm run gen:sql').toEqual([]);
  });

  it('a column added in the middle of a family becomes add column on the parent, last in the snapshot', () => {
    const cols = fam('volume_features').columns;
    const added = col('rate_new_metric_5', 'rate', 5, 'x');
    const diff = diffCatalog(
      withFamily('volume_features', (f) => ({ ...f, columns: [...cols.slice(0, 3), added, ...cols.slice(3)] })),
      readCatalogSnapshot(),
    );
    expect(diff.statements).toHaveLength(1);
    expect(diff.statements[0]).toMatch(/^alter table bqx\."volume_features" add column "rate_new_metric_5" double precision;$/m);
    expect(diff.down).toEqual(['alter table bqx."volume_features" drop column "rate_new_metric_5" cascade;']);
    expect(diff.what).toEqual(['volume_features_add_rate_new_metric_5']);
    expect(diff.snapshot.families.find((f) => f.family === 'volume_features')!.columns).toEqual([
      ...cols.map((c) => c.name),
      'rate_new_metric_5',
    ]);
    // the snapshot it leaves behind has nothing left to migrate
    expect(
      diffCatalog(
        withFamily('volume_features', (f) => ({ ...f, columns: [...cols.slice(0, 3), added, ...cols.slice(3)] })),
        diff.snapshot,
      ).statements,
    ).toEqual([]);
  });

  it('a column declared renamedFrom is renamed (its data stays), a column gone is dropped', () => {
    const [first, second, ...rest] = fam('time_features').columns;
    const renamed = { ...first!, name: 'in_tokyo', renamedFrom: first!.name };
    const diff = diffCatalog(
      withFamily('time_features', (f) => ({ ...f, columns: [renamed, ...rest] })),
      readCatalogSnapshot(),
    );
    expect(diff.statements.join('\n')).toMatch(/alter table bqx\."time_features" rename column "is_tokyo" to "in_tokyo";/);
    expect(diff.statements.join('\n')).toMatch(new RegExp(`alter table bqx\\."time_features" drop column "${second!.name}" cascade;`));
    expect(diff.statements.join('\n')).not.toMatch(/add column/);
    const shot = diff.snapshot.families.find((f) => f.family === 'time_features')!.columns;
    expect(shot[0]).toBe('in_tokyo');
    expect(shot).not.toContain(second!.name);
  });

  it('a new family anywhere in the order gets its table, its per-pair list partitions and its families row', () => {
    const extra: FamilyDef = { ...fam('time_features'), family: 'calendar_extra', columns: [col('x_one', 'time', null, 'x')] };
    const families = [...FAMILIES.slice(0, 3), extra, ...FAMILIES.slice(3)];
    const diff = diffCatalog(families, readCatalogSnapshot());
    const text = diff.statements.join('\n');
    expect(text).toMatch(
      /create table bqx\."calendar_extra" \(\n {2}pair text not null,\n {2}ts_utc timestamptz not null,\n {2}"x_one" double precision,/,
    );
    expect(text.match(/partition of bqx\."calendar_extra" for values in/g)).toHaveLength(28);
    expect(text).toMatch(/insert into bqx\.families .*\nselect 'calendar_extra', 'sql', coalesce\(max\(ord\), 0\) \+ 1/);
    expect(diff.snapshot.families.at(-1)).toEqual({ family: 'calendar_extra', columns: ['x_one'] });
  });

  it('refuses to generate the removal of a family (it drops data): that migration is written by hand', () => {
    expect(() =>
      diffCatalog(
        FAMILIES.filter((f) => f.family !== 'spread_features'),
        readCatalogSnapshot(),
      ),
    ).toThrow(/no longer has family spread_features/);
  });
});

describe('migration lock (sql/schema/migrations.sha256)', () => {
  it('holds every migration with the sha256 of its file: a merged migration is never edited', () => {
    const files = migrationChecksums();
    const lock = readMigrationLock();
    for (const [name, sha] of files) {
      expect(lock.get(name), `migrations/${name}.sql is not in sql/schema/migrations.sha256: run npm run migrations:lock`).toBeDefined();
      expect(
        sha,
        `migrations/${name}.sql differs from the merged version: migrations are immutable; restore it (git checkout main -- migrations/${name}.sql) and put the change in a new migration`,
      ).toBe(lock.get(name));
    }
    expect(
      [...lock.keys()].filter((n) => !files.has(n)),
      'locked migrations missing from migrations/',
    ).toEqual([]);
  });
});
