/**
 * Writes the migration a catalog change needs: npm run gen:catalog-migration [-- --timestamp N]
 * Diffs src/features/catalog against sql/schema/catalog.json (the tables the migrations make), writes
 * migrations/<timestamp>_catalog_<what>.sql (never over an existing file), updates the snapshot and
 * sql/schema/migrations.sha256. Then regenerate sql/ (npm run gen:sql) and run `bqx migrate`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { catalogMigrationText, diffCatalog } from '../src/db/catalogDiff.ts';
import { readCatalogSnapshot, writeCatalogSnapshot } from '../src/db/catalogSnapshot.ts';
import { updateMigrationLock } from '../src/db/migrationLock.ts';
import { MIGRATIONS_DIR } from '../src/db/paths.ts';
import { FAMILIES } from '../src/features/catalog/index.ts';

const arg = process.argv.indexOf('--timestamp');
const timestamp = arg >= 0 ? Number(process.argv[arg + 1]) : Date.now();
const diff = diffCatalog(FAMILIES, readCatalogSnapshot());
if (!diff.statements.length) {
  console.log('the catalog matches sql/schema/catalog.json: no migration needed');
  process.exit(0);
}
const last = Math.max(
  ...fs
    .readdirSync(MIGRATIONS_DIR)
    .map((f) => Number(f.split('_')[0]))
    .filter(Number.isFinite),
);
if (!Number.isSafeInteger(timestamp) || timestamp <= last) {
  console.error(`--timestamp ${process.argv[arg + 1] ?? timestamp} must be an integer after the last migration's (${last})`);
  process.exit(2);
}
const what = diff.what.join('_').slice(0, 80).replace(/_+$/, '');
const file = path.join(MIGRATIONS_DIR, `${timestamp}_catalog_${what}.sql`);
// 'wx': a migration is never overwritten, not even one written a moment ago
fs.writeFileSync(file, catalogMigrationText(diff), { flag: 'wx' });
writeCatalogSnapshot(diff.snapshot);
updateMigrationLock();
console.log(`wrote ${path.relative(process.cwd(), file)}; updated sql/schema/catalog.json and sql/schema/migrations.sha256`);
console.log('next: npm run gen:sql, then bqx migrate');
