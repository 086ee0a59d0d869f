/** Transactions: BEGIN/COMMIT around a callback, ROLLBACK on any error, Postgres errors mapped to BqxError. */
import type pg from 'pg';
import { fromPgError } from './errors.ts';

export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('begin');
    try {
      const out = await fn(client);
      await client.query('commit');
      return out;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw fromPgError(err);
    }
  });
}

/** A transaction that is always rolled back: for what-if work that must leave the database as it was. */
export async function withRollback<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('begin');
    try {
      return await fn(client);
    } catch (err) {
      throw fromPgError(err);
    } finally {
      await client.query('rollback').catch(() => {});
    }
  });
}
