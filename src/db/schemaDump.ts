/**
 * The normalised dump of schema bqx (sql/schema_dump.sql) and its committed copy,
 * sql/schema/bqx.schema.txt: a test fails when a migrated database drifts from it, on every server
 * version the tests run on. Regenerate with `npm run schema:dump` after a migration changes the schema.
 */
import path from 'node:path';
import type pg from 'pg';
import { loadSql } from './loadSql.ts';
import { SQL_DIR } from './paths.ts';

export const SCHEMA_DUMP = path.join(SQL_DIR, 'schema', 'bqx.schema.txt');

export async function schemaDump(db: pg.Pool | pg.ClientBase): Promise<string> {
  const { rows } = await db.query<{ line: string }>(loadSql(import.meta.url, 'sql/schema_dump.sql'));
  return `${rows.map((r) => r.line).join('\n')}\n`;
}
