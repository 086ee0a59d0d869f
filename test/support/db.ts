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

export async function createDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase & { drop(): Promise<void> }> {
  const name = `bqx_t_${process.ppid}_${crypto.randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(opts.empty ? `create database ${name}` : `create database ${name} template ${inject('dbTemplate')}`));
  const url = databaseUrl(inject('dbAdminUrl'), name);
  const pool = makePool(url, 6);
  return {
    pool, url, name,
    async drop() {
      await pool.end();
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
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
