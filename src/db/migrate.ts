/**
 * `bqx migrate`: node-pg-migrate over migrations/ (versioned, immutable DDL; each one's sha256
 * recorded), then sql/ in two transactions (functions and the catalog sync; then the views, short, as
 * they take the locks readers wait on), all under one advisory lock so two concurrent migrates
 * serialise instead of racing. The lock-taking steps wait at most lock_timeout for each lock and retry
 * (lockRetry.ts), so readers never queue behind a migrate for long.
 */
import type pg from 'pg';
import { applyFunctionFiles } from './applySql.ts';
import { applyViewFiles, dropRetiredViews, recordViews } from './applyViews.ts';
import { fromPgError } from './errors.ts';
import { loadSql } from './loadSql.ts';
import { inTransaction, type LockRetryOptions, withLockRetry } from './lockRetry.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import { recordLegacyDefinitions } from './recordLegacyDefinitions.ts';
import { recordMigrationChecksums } from './recordMigrations.ts';
import { rewriteRawFingerprints } from './rewriteRawFingerprints.ts';
import { readSqlFiles } from './sqlFiles.ts';
import { syncCatalog } from './syncCatalog.ts';
import { withClient } from './tx.ts';

export const MIGRATIONS_TABLE = 'bqx_migrations';
/** Key of the advisory lock held while sql/ is applied (node-pg-migrate holds its own for the DDL). */
const APPLY_LOCK = 'bqx.apply';
/** Key of the session lock a whole migrate holds: a second migrate waits for the first, without limit. */
const MIGRATE_LOCK = 'bqx.migrate';
const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export type MigrateOptions = LockRetryOptions;

export interface MigrateResult {
  migrations: string[];
  sqlApplied: string[];
  sqlUnchanged: number;
  /** Stale function overloads and objects whose sql/ file was deleted, dropped. */
  sqlDropped: string[];
  catalogRowsChanged: number;
  holidaysChanged: number;
}

async function runMigrations(client: pg.ClientBase, direction: 'up' | 'down', count?: number): Promise<string[]> {
  // node-pg-migrate and date-holidays are loaded when a migrate runs, not with every bqx command
  // (about 0.25 s of each CLI start together)
  const { runner } = await import('node-pg-migrate');
  const ran = await runner({
    dbClient: client as pg.Client,
    dir: MIGRATIONS_DIR,
    migrationsTable: MIGRATIONS_TABLE,
    migrationsSchema: 'public',
    direction,
    count: count ?? Infinity,
    checkOrder: true,
    advisoryLockMode: 'wait',
    singleTransaction: true,
    log: () => {},
  });
  return ran.map((m) => m.name);
}

/**
 * The first phase alone: the migrations, committed by node-pg-migrate. A migrate killed after it leaves
 * the tables without the functions; `bqx doctor` says "run bqx migrate", and a rerun applies sql/ (the
 * second phase finds every file unapplied or changed and applies it: migrate is resumable). Exported
 * for the test that simulates that kill.
 */
export async function migrateSchemaOnly(pool: pg.Pool): Promise<string[]> {
  return withClient(pool, async (client) => {
    try {
      await client.query('set lock_timeout = 0');
      return await runMigrations(client, 'up');
    } catch (err) {
      throw fromPgError(err);
    } finally {
      await client.query('reset lock_timeout').catch(() => {});
    }
  });
}

export async function migrate(pool: pg.Pool, opts: MigrateOptions = {}): Promise<MigrateResult> {
  return withClient(pool, async (client) => {
    try {
      // another migrate may hold the lock for minutes: wait for it, not for the session's lock_timeout
      await client.query('set lock_timeout = 0');
      await client.query(sql('advisory_lock'), [MIGRATE_LOCK]);
      const migrations = await withLockRetry(client, opts, 'migrations', () => runMigrations(client, 'up'));
      await recordMigrationChecksums(client, migrations);
      const files = readSqlFiles();
      const fns = await withLockRetry(client, opts, 'sql/ functions', () =>
        inTransaction(client, async () => {
          await client.query(sql('advisory_xact_lock'), [APPLY_LOCK]);
          // before sql/ replaces them: rows of an older store are recorded under the functions that made them,
          // and records of the raw-body fingerprint algorithm move to the layout-free one
          await rewriteRawFingerprints(client);
          await recordLegacyDefinitions(client);
          const r = await applyFunctionFiles(client, files);
          await client.query(loadSql(import.meta.url, 'sql/secure_functions.sql'));
          if (r.applied.length > 0 || r.dropped.length > 0) await client.query(loadSql(import.meta.url, 'sql/notify_vectors_all.sql'));
          return {
            ...r,
            catalogRowsChanged: await syncCatalog(client),
            holidaysChanged: await (await import('./syncHolidays.ts')).syncHolidays(client),
          };
        }),
      );
      const views = await withLockRetry(client, opts, 'sql/ views', () =>
        inTransaction(client, async () => {
          await client.query(sql('advisory_xact_lock'), [APPLY_LOCK]);
          return applyViewFiles(client, files);
        }),
      );
      await withLockRetry(client, opts, 'retired views', () => inTransaction(client, () => dropRetiredViews(client, views)));
      await inTransaction(client, () => recordViews(client, views));
      return {
        migrations,
        sqlApplied: [...fns.applied, ...views.applied],
        sqlUnchanged: fns.unchanged + views.unchanged,
        sqlDropped: [...fns.dropped, ...views.dropped],
        catalogRowsChanged: fns.catalogRowsChanged,
        holidaysChanged: fns.holidaysChanged,
      };
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw fromPgError(err);
    } finally {
      await client.query('reset lock_timeout').catch(() => {});
      await client.query(sql('advisory_unlock'), [MIGRATE_LOCK]).catch(() => {});
    }
  });
}

/** Reverts migrations (all by default). The sql/ objects live in schema bqx and go with it. */
export async function migrateDown(pool: pg.Pool, count?: number): Promise<string[]> {
  return withClient(pool, async (client) => {
    try {
      return await runMigrations(client, 'down', count);
    } catch (err) {
      throw fromPgError(err);
    }
  });
}
