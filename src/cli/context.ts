/** Opens the database a command runs against (DATABASE_URL / --database-url, else embedded) and closes it after. */
import { type Database, openDatabase } from '../db/connect.ts';
import type { Recreate } from '../db/embedded.ts';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import type { GlobalOptions } from './output.ts';

export async function withDatabase<T>(
  opts: GlobalOptions,
  fn: (db: Database) => Promise<T>,
  { requireSchema = true, maxConnections = 4, embeddedDatabase = 'bqx', recreateEmbedded = 'never' as Recreate } = {},
): Promise<T> {
  const db = await openDatabase({
    url: opts.databaseUrl,
    maxConnections,
    embeddedDatabase,
    recreateEmbedded,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  try {
    if (requireSchema) {
      const { rows } = await db.pool.query<{ ok: boolean }>(loadSql(import.meta.url, '../db/sql/has_sql_objects.sql'));
      if (!rows[0].ok) {
        throw new BqxError('BQX_CONFIG', `the database ${db.embedded ? '(embedded)' : ''} has no bqx schema yet`, {
          hint: 'run `bqx migrate` first (or `bqx demo`, which migrates)',
        });
      }
    }
    return await fn(db);
  } finally {
    await db.close();
  }
}
