/**
 * Records the sha256 of each applied migration in bqx.migration_checksums: those this migrate ran from
 * their files; those applied before checksums were recorded (an upgrade) from the merged lock
 * sql/schema/migrations.sha256, or from the file when the lock lacks them. A record is never changed
 * afterwards, so `bqx doctor` can tell an edited migration from the one that ran.
 */
import type pg from 'pg';
import { loadSql } from './loadSql.ts';
import { migrationChecksums, readMigrationLock } from './migrationLock.ts';
import { MIGRATIONS_DIR } from './paths.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export async function recordMigrationChecksums(client: pg.ClientBase, ran: string[], dir = MIGRATIONS_DIR): Promise<number> {
  if (!(await client.query<{ ok: boolean }>(sql('has_migration_checksums'))).rows[0].ok) return 0;
  const files = migrationChecksums(dir);
  const lock = readMigrationLock();
  const rows = [...files].map(([name, sha]) => {
    if (ran.includes(name)) return { name, sha256: sha, source: 'ran' };
    const locked = lock.get(name);
    return locked ? { name, sha256: locked, source: 'lock' } : { name, sha256: sha, source: 'file' };
  });
  return (await client.query(sql('record_migration_checksums'), [JSON.stringify(rows)])).rowCount ?? 0;
}
