/**
 * Per test file: a fresh database cloned from the migrated template, dropped afterwards.
 *   const t = useTestDatabase();   // in a describe or at top level
 *   t.pool.query(...)
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { makePool } from '../../src/db/connect.ts';
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
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
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
