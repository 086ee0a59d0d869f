/**
 * Per test file: a fresh database cloned from the migrated template, dropped afterwards.
 *   const t = useTestDatabase();   // in a describe or at top level
 *   t.pool.query(...)
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { makePool } from '../../src/db/connect.ts';
import { retiredPrefix } from './retiredPrefix.ts';
import { databaseUrl } from './urls.ts';

export interface TestDatabase {
  pool: pg.Pool;
  url: string;
  name: string;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('dbAdminUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Retired databases are dropped at once when they take more than this (bytes; default 4 GiB). */
const RETIRED_BUDGET = Number(process.env.BQX_TEST_RETIRED_BYTES ?? 4 * 2 ** 30);

/**
 * A test database is done with: renamed out of the way and dropped later, in batches. Every DROP DATABASE
 * forces an immediate checkpoint that its session waits for (PostgreSQL 15: pg_stat_bgwriter's
 * checkpoints_req counts one per drop), and on a server with fsync on, busy with the other worker's
 * writes, each took seconds: one drop per test database cost the suite minutes. Retired databases are
 * dropped together once they take more than RETIRED_BUDGET (one costly checkpoint, then cheap ones), and
 * the rest by the run's teardown (globalSetup.ts), when the server is idle.
 */
async function retire(name: string): Promise<void> {
  const retired = `${retiredPrefix(process.ppid)}${name.slice(name.lastIndexOf('_') + 1)}`;
  await admin(async (c) => {
    // a closed session's backend may still be exiting: "being accessed by other users" (55006) until then
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`alter database ${name} rename to ${retired}`);
        break;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === '3D000') return; // already gone
        if (code !== '55006' || attempt >= 50) {
          await c.query(`drop database if exists ${name} with (force)`);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const { rows } = await c.query<{ datname: string; bytes: string }>(
      `select datname, pg_database_size(oid)::text as bytes from pg_database where datname like $1`,
      [`${retiredPrefix(process.ppid)}%`],
    );
    if (rows.reduce((n, r) => n + Number(r.bytes), 0) <= RETIRED_BUDGET) return;
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
  });
}

/** A handle on test database `name`; drop() ends whichever pool it holds then (see cloneDatabase). */
function opened(name: string): TestDatabase & { drop(): Promise<void> } {
  const url = databaseUrl(inject('dbAdminUrl'), name);
  return {
    pool: makePool(url, 6),
    url,
    name,
    // `this`: useTestDatabase copies the handle into its holder, whose pool is the one to end
    async drop(this: TestDatabase) {
      await this.pool.end();
      await retire(name);
    },
  };
}

export async function createDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase & { drop(): Promise<void> }> {
  const name = `bqx_t_${process.ppid}_${crypto.randomBytes(4).toString('hex')}`;
  await admin(async (c) => {
    await c.query(opts.empty ? `create database ${name}` : `create database ${name} template ${inject('dbTemplate')}`);
    // A test database is thrown away, so its commits need not wait for the WAL flush (every session of
    // it, the CLI processes' too; the server and the product's own settings are untouched).
    await c.query(`alter database ${name} set synchronous_commit = off`);
  });
  return opened(name);
}

/**
 * A copy of `src` (CREATE DATABASE ... TEMPLATE src): the same store without building it again. A template
 * may have no other session, so src's pool is closed for the copy and opened anew (src.pool is replaced).
 */
export async function cloneDatabase(src: TestDatabase): Promise<TestDatabase & { drop(): Promise<void> }> {
  await src.pool.end();
  const name = `bqx_t_${process.ppid}_${crypto.randomBytes(4).toString('hex')}`;
  try {
    await admin(async (c) => {
      // a closed session's backend may still be exiting: "being accessed by other users" (55006) until then
      for (let attempt = 1; ; attempt++) {
        try {
          await c.query(`create database ${name} template ${src.name}`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006' || attempt >= 100) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await c.query(`alter database ${name} set synchronous_commit = off`);
    });
  } finally {
    src.pool = makePool(src.url, 6);
  }
  return opened(name);
}

export function useTestDatabase(opts: { empty?: boolean } = {}): TestDatabase {
  const holder = {} as TestDatabase & { drop?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(holder, await createDatabase(opts));
  });
  afterAll(async () => {
    await holder.drop?.();
  });
  return holder;
}
