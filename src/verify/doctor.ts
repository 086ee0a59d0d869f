/**
 * `bqx doctor`: drift between the repository and the database. Reports pending or unknown migrations,
 * sql/ files that changed since they were applied, objects edited or dropped in the database behind the
 * files' back, unmanaged objects in schema bqx, and family tables whose columns differ from the catalog.
 */
import fs from 'node:fs';
import type pg from 'pg';
import { readCatalogSnapshot } from '../db/catalogSnapshot.ts';
import { loadSql } from '../db/loadSql.ts';
import { migrationChecksums } from '../db/migrationLock.ts';
import { MIGRATIONS_DIR } from '../db/paths.ts';
import { readSqlFiles } from '../db/sqlFiles.ts';
import { FAMILIES } from '../features/catalog/index.ts';
import { staleRows } from '../runner/staleRows.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
/** The queries doctor shares with migrate. */
const dbSql = (name: string) => loadSql(import.meta.url, `../db/sql/${name}.sql`);

/** A row of managed_objects.sql / recorded_objects_only.sql: what migrate recorded, and the live md5 now. */
interface RecordedObject {
  path: string;
  object_name: string;
  kind: string;
  checksum: string;
  live_md5: string | null;
  live_now: string | null;
}

export interface Finding {
  area: 'migrations' | 'sql' | 'catalog' | 'schema' | 'definitions';
  object: string;
  status: string;
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  findings: Finding[];
  /**
   * What is not drift but needs a command: rows computed under an older definition of their family, one
   * per (pair, family, month) (fixed by bqx refresh). Warnings leave ok and the exit code alone.
   */
  warnings: Finding[];
  checked: { migrations: number; sqlFiles: number; families: number };
  /** The command that repairs the drift, when there is one ("run bqx migrate"). */
  fix: string | null;
}

export interface DoctorOptions {
  /** The migrations to compare with the database (default: the repository's migrations/). */
  migrationsDir?: string;
}

export async function doctor(pool: pg.Pool, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const findings: Finding[] = [];
  const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const schema = (await pool.query<{ ok: boolean }>(dbSql('has_sql_objects'))).rows[0].ok;
  const migrationFiles = fs
    .readdirSync(migrationsDir)
    .filter((f) => /\.(sql|js|ts)$/.test(f))
    .map((f) => f.replace(/\.(sql|js|ts)$/, ''))
    .sort();
  const applied = new Set<string>(
    (await pool.query<{ ok: boolean }>(sql('has_migrations_table'))).rows[0].ok
      ? (await pool.query<{ name: string }>(sql('applied_migrations'))).rows.map((r) => r.name)
      : [],
  );
  for (const m of migrationFiles)
    if (!applied.has(m)) findings.push({ area: 'migrations', object: m, status: 'pending', detail: 'not applied; run bqx migrate' });
  for (const m of applied)
    if (!migrationFiles.includes(m))
      findings.push({
        area: 'migrations',
        object: m,
        status: 'unknown',
        detail: 'applied in the database but no such file in migrations/',
      });
  if ((await pool.query<{ ok: boolean }>(dbSql('has_migration_checksums'))).rows[0].ok)
    findings.push(...(await editedMigrations(pool, migrationsDir)));
  const files = readSqlFiles();
  if (!schema) {
    if (!findings.length)
      findings.push({ area: 'migrations', object: 'bqx', status: 'missing', detail: 'schema bqx has no store yet; run bqx migrate' });
    return report(findings, { migrations: migrationFiles.length, sqlFiles: files.length, families: 0 });
  }

  // bqx.object_md5 is itself a sql/ object: a migrate killed between its migrations and its sql/ phase
  // leaves the tables without it (and without every other function), which is a finding, not a crash.
  const hasMd5 = (await pool.query<{ ok: boolean }>(dbSql('has_object_md5'))).rows[0].ok;
  if (!hasMd5) {
    findings.push({
      area: 'sql',
      object: 'sql/',
      status: 'missing',
      detail: "the store's functions and views are missing (a bqx migrate interrupted after its migrations, before sql/): run bqx migrate",
    });
  }
  const recorded = new Map(
    (await pool.query<RecordedObject>(sql(hasMd5 ? 'managed_objects' : 'recorded_objects_only'))).rows.map((r) => [r.path, r]),
  );
  for (const f of files) {
    const r = recorded.get(f.path);
    if (!r) findings.push({ area: 'sql', object: f.path, status: 'unapplied', detail: 'never applied; run bqx migrate' });
    else if (r.live_now === null)
      findings.push({
        area: 'sql',
        object: f.objectName,
        status: 'missing',
        detail: `${f.path} was applied but the object is gone from the database; run bqx migrate`,
      });
    else if (r.checksum !== f.checksum)
      findings.push({ area: 'sql', object: f.path, status: 'changed', detail: 'the file changed since it was applied; run bqx migrate' });
    else if (r.live_now !== r.live_md5)
      findings.push({
        area: 'sql',
        object: f.objectName,
        status: 'edited',
        detail: `the live definition differs from ${f.path}; someone changed it in the database (bqx migrate restores the file's version)`,
      });
  }
  for (const [p, r] of recorded) {
    if (!files.some((f) => f.path === p))
      findings.push({
        area: 'sql',
        object: p,
        status: 'orphaned',
        detail: `recorded as applied but the file is gone from sql/ (its ${r.kind} ${r.object_name} is left over); run bqx migrate (it drops it)`,
      });
  }
  if (hasMd5) {
    for (const o of (await pool.query<{ signature: string; object_name: string; path: string }>(dbSql('stale_overloads'))).rows) {
      findings.push({
        area: 'sql',
        object: o.signature,
        status: 'stale-overload',
        detail: `an overload of ${o.object_name} that ${o.path} no longer defines (left by a signature change); run bqx migrate (it drops it)`,
      });
    }
  }
  // an orphan (recorded, file deleted) is reported as such above, not again as unmanaged
  const managed = new Set([...files.map((f) => f.objectName), ...[...recorded.values()].map((r) => r.object_name)]);
  for (const o of (await pool.query<{ object_name: string; kind: string }>(sql('live_objects'))).rows) {
    if (!managed.has(o.object_name))
      findings.push({
        area: 'schema',
        object: o.object_name,
        status: 'unmanaged',
        detail: `a ${o.kind} in schema bqx that no sql/ file defines`,
      });
  }

  const live = new Map<string, string[]>();
  for (const r of (await pool.query<{ family: string; column_name: string; type: string; attnum: number }>(sql('live_columns'))).rows) {
    if (!live.has(r.family)) live.set(r.family, []);
    live.get(r.family)!.push(`${r.column_name}:${r.type}`);
  }
  // The tables' column order is the migrations' (an added column comes last), kept in the snapshot;
  // the views present the catalog's order.
  const snapshot = new Map(readCatalogSnapshot().families.map((s) => [s.family, s.columns]));
  for (const f of FAMILIES) {
    const names = f.columns.map((c) => c.name);
    const shot = snapshot.get(f.family);
    const ordered = shot && shot.length === names.length && shot.every((c) => names.includes(c)) ? shot : names;
    const want = ['pair:text', 'ts_utc:timestamp with time zone', ...ordered.map((c) => `${c}:double precision`)];
    const got = live.get(f.family);
    if (!got) {
      findings.push({
        area: 'catalog',
        object: `bqx.${f.family}`,
        status: 'missing',
        detail: 'the catalog has this family but the database has no table',
      });
      continue;
    }
    const extra = got.filter((c) => !want.includes(c));
    const lacking = want.filter((c) => !got.includes(c));
    if (extra.length || lacking.length) {
      findings.push({
        area: 'catalog',
        object: `bqx.${f.family}`,
        status: 'columns',
        detail: `catalog lacks in database: ${lacking.join(', ') || '-'}; database has beyond catalog: ${extra.join(', ') || '-'}`,
      });
    } else if (got.join() !== want.join()) {
      findings.push({
        area: 'catalog',
        object: `bqx.${f.family}`,
        status: 'order',
        detail: 'same columns as the catalog in another order',
      });
    }
  }
  const hasDefinitions = (await pool.query<{ ok: boolean }>(sql('has_definition_stale'))).rows[0].ok;
  const warnings: Finding[] = hasDefinitions
    ? (await staleRows(pool)).map((s) => ({
        area: 'definitions',
        object: `bqx.${s.family}`,
        status: 'stale',
        detail: `${s.pair} ${s.month}: ${s.rows} rows computed with definition ${s.computedWith}, current ${s.current}; run bqx refresh --pairs ${s.pair === '*' ? 'all' : s.pair}`,
      }))
    : [];
  return report(findings, { migrations: migrationFiles.length, sqlFiles: files.length, families: FAMILIES.length }, warnings);
}

/** Applied migrations whose file differs from the sha256 recorded when it ran. */
async function editedMigrations(pool: pg.Pool, dir: string): Promise<Finding[]> {
  const files = migrationChecksums(dir);
  const out: Finding[] = [];
  for (const r of (await pool.query<{ name: string; sha256: string; source: string }>(dbSql('migration_checksums'))).rows) {
    const now = files.get(r.name);
    if (now === undefined || now === r.sha256) continue;
    out.push({
      area: 'migrations',
      object: r.name,
      status: 'edited',
      detail: `migrations/${r.name}.sql changed after it was applied (sha256 ${now.slice(0, 12)}, recorded ${r.sha256.slice(0, 12)}): migrations are immutable; restore the file (git checkout -- migrations/${r.name}.sql) and put the change in a new migration`,
    });
  }
  return out;
}

/** What fixes the drift found: `bqx migrate` when every finding is one it repairs. */
function report(findings: Finding[], checked: DoctorReport['checked'], warnings: Finding[] = []): DoctorReport {
  const byMigrate = findings.filter((f) => /run bqx migrate|bqx migrate restores/.test(f.detail));
  const fix =
    findings.length === 0
      ? null
      : byMigrate.length
        ? 'run bqx migrate' + (byMigrate.length < findings.length ? ' (it repairs the findings that say so; the others need a human)' : '')
        : null;
  return { ok: findings.length === 0, findings, warnings, checked, fix };
}
