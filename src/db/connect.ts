/**
 * The only module that opens connections: DATABASE_URL (or --database-url) when given, the embedded
 * server otherwise. Every session runs in UTC so timestamps print and truncate the same everywhere.
 */
import pg from 'pg';
import { type Recreate, startEmbedded } from './embedded.ts';
import { BqxError, fromPgError } from './errors.ts';

// bigint counts (count(*)) come back as JS numbers; our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface Database {
  pool: pg.Pool;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface ConnectOptions {
  url?: string;
  maxConnections?: number;
  log?: (msg: string) => void;
  /** Database on the embedded server (default bqx); `recreateEmbedded` says when it is dropped and made anew. */
  embeddedDatabase?: string;
  recreateEmbedded?: Recreate;
}

/**
 * How long a statement waits for a lock before it fails as BQX_LOCKED (exit 7) naming the holder:
 * BQX_LOCK_TIMEOUT, a PostgreSQL interval (default 60s; '5min'; '0' waits forever). `bqx migrate` waits
 * forever for another migrate, on its own session setting.
 */
export function lockTimeout(): string {
  const v = (process.env.BQX_LOCK_TIMEOUT ?? '60s').trim();
  if (!/^\d+(\.\d+)?\s*(ms|s|min|h)?$/.test(v)) {
    throw new BqxError('BQX_CONFIG', `BQX_LOCK_TIMEOUT=${JSON.stringify(v)} is not a duration`, {
      hint: 'give e.g. 30s, 500ms, 5min or 0 (no timeout)',
    });
  }
  return v.replace(/\s+/g, '');
}

export function makePool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'bqx-store',
    // temp_buffers: ingest stages a pair-year (~80 MB) in a temp table; the 8 MB default spills it to
    // disk, and it can only be set before a session first touches a temp table, hence at connect time.
    // enable_partitionwise_join: the feature views join a dozen tables on ts_utc; joined partition by
    // partition, a filter on one month reaches only that month's partitions of every table.
    options: `-c TimeZone=UTC -c temp_buffers=256MB -c enable_partitionwise_join=on -c lock_timeout=${lockTimeout()}`,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor may a checked-out one: node-postgres emits 'error' on the client when the server ends the session
  // (pg_terminate_backend, shutdown), and without a listener Node kills the process ("Unhandled 'error'
  // event"). The query in flight rejects with the same error, and that is where it is handled (BQX_DB).
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

export async function openDatabase(opts: ConnectOptions = {}): Promise<Database> {
  const explicit = opts.url ?? process.env.DATABASE_URL;
  const server = explicit ? null : await startEmbedded(opts.embeddedDatabase ?? 'bqx', opts.log, opts.recreateEmbedded);
  const url = explicit ?? server!.url;
  const pool = makePool(url, opts.maxConnections ?? 4);
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end();
    await server?.stop();
    throw fromPgError(err);
  }
  return {
    pool,
    url,
    embedded: !explicit,
    async close() {
      await pool.end();
      await server?.stop();
    },
  };
}
