/**
 * `bqx migrate`: node-pg-migrate over migrations/ (versioned, immutable DDL), then the sql/ files and
 * the catalog sync, all under one advisory lock so two concurrent migrates serialise instead of racing.
 */
import { runner } from 'node-pg-migrate';
import type pg from 'pg';
import { applySqlFiles } from './applySql.ts';
import { fromPgError } from './errors.ts';
import { loadSql } from './loadSql.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import { recordLegacyDefinitions } from './recordLegacyDefinitions.ts';
import { syncCatalog } from './syncCatalog.ts';
import { syncHolidays } from './syncHolidays.ts';
import { withClient } from './tx.ts';

export const MIGRATIONS_TABLE = 'bqx_migrations';
/** Key of the advisory lock held while sql/ is applied (node-pg-migrate holds its own for the DDL). */
const APPLY_LOCK = 'bqx.apply';

export interface MigrateResult {
  migrations: string[];
  sqlApplied: string[];
  sqlUnchanged: number;
  catalogRowsChanged: number;
  holidaysChanged: number;
}

async function runMigrations(client: pg.ClientBase, direction: 'up' | 'down', count?: number): Promise<string[]> {
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

export async function migrate(pool: pg.Pool): Promise<MigrateResult> {
  return withClient(pool, async (client) => {
    try {
      // another migrate may hold the locks for minutes: wait for it, not for the session's lock_timeout
      await client.query('set lock_timeout = 0');
      const migrations = await runMigrations(client, 'up');
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [APPLY_LOCK]);
      // before sql/ replaces them: rows of an older store are recorded under the functions that made them
      await recordLegacyDefinitions(client);
      const sql = await applySqlFiles(client);
      await client.query(loadSql(import.meta.url, 'sql/secure_functions.sql'));
      const catalogRowsChanged = await syncCatalog(client);
      const holidaysChanged = await syncHolidays(client);
      await client.query('commit');
      return { migrations, sqlApplied: sql.applied, sqlUnchanged: sql.unchanged, catalogRowsChanged, holidaysChanged };
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw fromPgError(err);
    } finally {
      await client.query('reset lock_timeout').catch(() => {});
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
