/**
 * Writes sql/schema/bqx.schema.txt: npm run schema:dump (DATABASE_URL: a server where it may create and
 * drop a scratch database; default the local one). Migrates a fresh database and dumps schema bqx.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { makePool } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { SCHEMA_DUMP, schemaDump } from '../src/db/schemaDump.ts';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `bqx_schema_dump_${crypto.randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const pool = makePool(url.toString(), 2);
try {
  await migrate(pool);
  const text = await schemaDump(pool);
  fs.writeFileSync(SCHEMA_DUMP, text);
  console.log(`wrote sql/schema/bqx.schema.txt (${text.split('\n').length - 1} lines)`);
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
