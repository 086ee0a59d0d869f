/**
 * sql/schema/migrations.sha256: the sha256 of every merged migration, in `sha256sum` format. Migrations
 * are immutable once merged; the lock makes that checkable: a unit test compares it with the files (an
 * edited migration fails CI), `bqx migrate` backfills the checksums of migrations applied before it
 * recorded them, and `bqx doctor` compares each applied migration's file with what was recorded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BqxError } from './errors.ts';
import { MIGRATIONS_DIR, SQL_DIR } from './paths.ts';

export const MIGRATION_LOCK = path.join(SQL_DIR, 'schema', 'migrations.sha256');

/** name (file name without .sql, as node-pg-migrate records it) -> sha256 of the file. */
export function migrationChecksums(dir = MIGRATIONS_DIR): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.sql'))
    .sort()) {
    out.set(
      f.slice(0, -4),
      crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(dir, f)))
        .digest('hex'),
    );
  }
  return out;
}

export function readMigrationLock(file = MIGRATION_LOCK): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const m = /^([0-9a-f]{64}) {2}migrations\/(.+)\.sql$/.exec(line);
    if (!m)
      throw new BqxError('BQX_DRIFT', `${path.basename(file)}: unreadable line ${JSON.stringify(line)}`, {
        hint: 'each line is "<sha256>  migrations/<name>.sql"',
      });
    out.set(m[2]!, m[1]!);
  }
  return out;
}

/**
 * Adds the migrations the lock lacks; never changes a line it has (a differing file is an edited
 * migration and an error, named with its fix). Returns the names added.
 */
export function updateMigrationLock(dir = MIGRATIONS_DIR, file = MIGRATION_LOCK): string[] {
  const lock = readMigrationLock(file);
  const files = migrationChecksums(dir);
  const edited = [...lock].filter(([n, sha]) => files.has(n) && files.get(n) !== sha).map(([n]) => n);
  if (edited.length) {
    throw new BqxError('BQX_DRIFT', `merged migration${edited.length > 1 ? 's' : ''} edited: ${edited.join(', ')}`, {
      hint: 'restore them (git checkout main -- migrations/<name>.sql) and put the change in a new migration',
    });
  }
  const added = [...files.keys()].filter((n) => !lock.has(n));
  for (const n of added) lock.set(n, files.get(n)!);
  const lines = [...lock].sort(([a], [b]) => a.localeCompare(b)).map(([n, sha]) => `${sha}  migrations/${n}.sql`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return added;
}
