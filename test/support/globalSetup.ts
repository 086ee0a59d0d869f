/**
 * Once per `vitest run` of the db project: get a server, build a migrated template database, and hand
 * both to the test files, which clone the template (CREATE DATABASE ... TEMPLATE) instead of migrating.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { makePool } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { DEFAULT_SERVER_PROJECT } from './defaultServerProject.ts';
import { retiredPrefix } from './retiredPrefix.ts';
import { acquireServer } from './server.ts';
import { databaseUrl } from './urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dbAdminUrl: string;
    dbTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await acquireServer({ ignoreDatabaseUrl: project.name === DEFAULT_SERVER_PROJECT });
  const template = `bqx_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const pool = makePool(databaseUrl(server.adminUrl, template), 2);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  await admin.end();
  process.stderr.write(`${project.name} tests: ${server.kind} server, template ${template}\n`);
  project.provide('dbAdminUrl', server.adminUrl);
  project.provide('dbTemplate', template);

  return async () => {
    const c = new pg.Client({ connectionString: server.adminUrl });
    await c.connect();
    // Leftover per-file databases of this run (a crashed file) go too, and the retired ones (db.ts: dropped
    // here, on an idle server, rather than one checkpoint each while the other worker writes).
    const { rows } = await c.query(`select datname from pg_database where datname like $1 or datname like $2 or datname = $3`, [
      `bqx_t_${process.pid}_%`,
      `${retiredPrefix(process.pid)}%`,
      template,
    ]);
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
    await c.end();
    await server.stop();
  };
}
