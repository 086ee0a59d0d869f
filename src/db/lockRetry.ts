/**
 * Lock-taking DDL that readers do not queue behind. An ALTER TABLE or a view re-creation waits for an
 * ACCESS EXCLUSIVE lock, and while it waits every reader that comes after queues behind it: one long
 * analyst query would stall every other reader for as long as it runs. So migrate's DDL waits at most
 * lock_timeout (1 s by default) for each lock, gives up (its transaction rolls back, the readers go on)
 * and tries again after a growing pause, the approach of strong_migrations and pg-osc.
 */
import type pg from 'pg';
import { BqxError } from './errors.ts';
import { loadSql } from './loadSql.ts';

export interface LockRetryOptions {
  /** How long one attempt waits for a lock, in ms (default 1000; 0 waits without limit). */
  lockTimeoutMs?: number;
  /** Attempts before giving up (default 10). */
  attempts?: number;
  /** The first pause between attempts, in ms; it doubles up to 10 s (default 250). */
  backoffMs?: number;
  /** Told about each lock timeout (the CLI prints them). */
  onRetry?: (attempt: number, err: Error) => void;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` (a whole transaction: a retry starts it over) with the session's lock_timeout set (left set: the caller resets it). */
export async function withLockRetry<T>(client: pg.ClientBase, opts: LockRetryOptions, what: string, fn: () => Promise<T>): Promise<T> {
  const timeout = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const attempts = opts.attempts ?? 10;
  let pause = opts.backoffMs ?? 250;
  await client.query(loadSql(import.meta.url, 'sql/set_lock_timeout.sql'), [`${timeout}ms`]);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code !== '55P03') throw err;
      if (attempt >= attempts) {
        throw new BqxError(
          'BQX_LOCKED',
          `${what}: gave up after ${attempts} attempts waiting ${timeout} ms each for a lock (${(err as Error).message})`,
          {
            hint: 'a long query or transaction holds the table or view: wait for it (see pg_stat_activity), or pass a larger --lock-timeout',
            details: { sqlstate: '55P03', attempts, lockTimeoutMs: timeout },
            cause: err,
          },
        );
      }
      opts.onRetry?.(attempt, err as Error);
      // jitter: two migrates (or a migrate and a runner) retrying in step would collide again
      await sleep(pause * (0.5 + Math.random()));
      pause = Math.min(pause * 2, 10_000);
    }
  }
}

/** BEGIN/COMMIT around `fn` on one client, ROLLBACK on error (the caller maps the error). */
export async function inTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const out = await fn();
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  }
}
