/**
 * sql/schema/catalog.json: the family tables as the migrations in migrations/ leave them (family, and
 * its value columns in table order). The catalog migration generator diffs src/features/catalog against
 * it to write the next migration, then updates it; a unit test fails while the two disagree, so a
 * catalog change cannot reach a database without its migration.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FamilyDef } from '../features/catalog/index.ts';
import { SQL_DIR } from './paths.ts';

export interface SnapshotFamily {
  family: string;
  /** The value columns (after pair, ts_utc) in the tables' column order: an added column comes last. */
  columns: string[];
}

export interface CatalogSnapshot {
  families: SnapshotFamily[];
}

export const CATALOG_SNAPSHOT = path.join(SQL_DIR, 'schema', 'catalog.json');

export function readCatalogSnapshot(file = CATALOG_SNAPSHOT): CatalogSnapshot {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogSnapshot;
}

export function writeCatalogSnapshot(snapshot: CatalogSnapshot, file = CATALOG_SNAPSHOT): void {
  fs.writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
}

/** The snapshot of a database built from scratch by migrations generated from `families`. */
export function snapshotOf(families: readonly FamilyDef[]): CatalogSnapshot {
  return { families: families.map((f) => ({ family: f.family, columns: f.columns.map((c) => c.name) })) };
}
