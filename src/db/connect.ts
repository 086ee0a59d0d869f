/**
 * The only module that opens connections: DATABASE_URL (or --database-url) when given, the embedded
 * server otherwise. Every session runs in UTC so timestamps print and truncate the same everywhere.
 */
import pg from 'pg';
import { startEmbedded } from './embedded.ts';
import { fromPgError } from './errors.ts';

// temp_buffers: ingest stages a pair-year (~80 MB) in a temp table; the 8 MB default spills it to disk.
// enable_partitionwise_join: the feature views join a dozen tables on ts_utc; joined partition by
// partition, a filter on one month reaches only that month's partitions of every table.
// It can only be set before a session first touches a temp table, hence at connect time.
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
  /** Database on the embedded server (default bqx); with `recreateEmbedded` it is dropped and made anew. */
  embeddedDatabase?: string;
  recreateEmbedded?: boolean;
}

export function makePool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC -c temp_buffers=256MB -c enable_partitionwise_join=on', application_name: 'bqx-store' });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
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
