/**
 * The difference between the catalog (src/features/catalog) and the tables the migrations made
 * (sql/schema/catalog.json), as the DDL of the next migration: a new family gets its table and
 * per-pair list partitions (month partitions are made by the refresh functions on the way), a new
 * column `add column`, a column declared `renamedFrom` `rename column` (the data stays), a column gone
 * from the catalog `drop column`. Only the partitioned parents are altered: Postgres carries the change
 * to every partition.
 */

import type { FamilyDef } from '../features/catalog/index.ts';
import { PAIRS } from '../features/pairs.ts';
import type { CatalogSnapshot, SnapshotFamily } from './catalogSnapshot.ts';
import { BqxError } from './errors.ts';
import { quoteIdent, quoteLiteral } from './quote.ts';
import { familyTableDdl } from './schemaDdl.ts';

export interface CatalogDiff {
  /** The migration's statements, one change per paragraph; empty when the catalog matches. */
  statements: string[];
  /** Their reversal, in reverse order (a dropped column comes back empty). */
  down: string[];
  /** Short words for the file name: volume_features_add_rate_foo_5, new_family_x ... */
  what: string[];
  snapshot: CatalogSnapshot;
}

export function diffCatalog(families: readonly FamilyDef[], snapshot: CatalogSnapshot): CatalogDiff {
  const known = new Map(snapshot.families.map((f) => [f.family, f]));
  const gone = snapshot.families.filter((s) => !families.some((f) => f.family === s.family));
  if (gone.length) {
    throw new BqxError(
      'BQX_DRIFT',
      `the catalog no longer has famil${gone.length > 1 ? 'ies' : 'y'} ${gone.map((g) => g.family).join(', ')}`,
      {
        hint: 'removing a family drops its data and its statistics: write that migration by hand, then remove the family from sql/schema/catalog.json',
      },
    );
  }
  const statements: string[] = [];
  const down: string[] = [];
  const what: string[] = [];
  const next: SnapshotFamily[] = [];
  for (const f of families) {
    const s = known.get(f.family);
    if (!s) {
      statements.push(newFamilyDdl(f));
      down.unshift(
        `drop table bqx.${quoteIdent(f.family)} cascade;\ndelete from bqx.feature_catalog where family = ${quoteLiteral(f.family)};\ndelete from bqx.families where family = ${quoteLiteral(f.family)};`,
      );
      what.push(`new_family_${f.family}`);
      next.push({ family: f.family, columns: f.columns.map((c) => c.name) });
      continue;
    }
    const change = diffColumns(f, s);
    statements.push(...change.statements);
    down.unshift(...change.down);
    what.push(...change.what);
    next.push({ family: f.family, columns: change.columns });
  }
  // Families keep the snapshot's order of creation (their table order is no concern of the views).
  const ordered = [...snapshot.families.map((s) => next.find((n) => n.family === s.family)!), ...next.filter((n) => !known.has(n.family))];
  return { statements, down, what, snapshot: { families: ordered } };
}

function diffColumns(f: FamilyDef, s: SnapshotFamily): { statements: string[]; down: string[]; what: string[]; columns: string[] } {
  const table = `bqx.${quoteIdent(f.family)}`;
  const statements: string[] = [];
  const down: string[] = [];
  const what: string[] = [];
  const columns = [...s.columns];
  const wanted = new Set(f.columns.map((c) => c.name));
  for (const c of f.columns) {
    if (columns.includes(c.name)) continue;
    if (c.renamedFrom && columns.includes(c.renamedFrom)) {
      if (wanted.has(c.renamedFrom)) {
        throw new BqxError('BQX_DRIFT', `${f.family}.${c.name} is renamedFrom ${c.renamedFrom}, which the catalog still has`, {
          hint: 'a column renamed from another cannot keep the old one: remove renamedFrom or the old column',
        });
      }
      statements.push(
        `-- ${f.family}.${c.renamedFrom} is now ${c.name} (catalog renamedFrom): the values stay; the views follow from sql/.\n` +
          `alter table ${table} rename column ${quoteIdent(c.renamedFrom)} to ${quoteIdent(c.name)};\n` +
          `update bqx.feature_stats set column_name = ${quoteLiteral(c.name)} where family = ${quoteLiteral(f.family)} and column_name = ${quoteLiteral(c.renamedFrom)};\n` +
          `update bqx.feature_stats_edges set column_name = ${quoteLiteral(c.name)} where family = ${quoteLiteral(f.family)} and column_name = ${quoteLiteral(c.renamedFrom)};`,
      );
      down.unshift(`alter table ${table} rename column ${quoteIdent(c.name)} to ${quoteIdent(c.renamedFrom)};`);
      what.push(`${f.family}_rename_${c.renamedFrom}`);
      columns[columns.indexOf(c.renamedFrom)] = c.name;
      continue;
    }
    statements.push(
      `-- ${f.family}.${c.name} is new: rows refreshed before this migration read NULL until the family is refreshed over them.\n` +
        `alter table ${table} add column ${quoteIdent(c.name)} double precision;`,
    );
    down.unshift(`alter table ${table} drop column ${quoteIdent(c.name)} cascade;`);
    what.push(`${f.family}_add_${c.name}`);
    columns.push(c.name);
  }
  for (const name of [...columns]) {
    if (wanted.has(name)) continue;
    statements.push(
      `-- ${f.family}.${name} left the catalog. cascade: the sql/ views that read it go with it, and bqx migrate\n` +
        `-- re-creates them from sql/views right after the migrations.\n` +
        `alter table ${table} drop column ${quoteIdent(name)} cascade;\n` +
        `delete from bqx.feature_stats where family = ${quoteLiteral(f.family)} and column_name = ${quoteLiteral(name)};\n` +
        `delete from bqx.feature_stats_edges where family = ${quoteLiteral(f.family)} and column_name = ${quoteLiteral(name)};`,
    );
    down.unshift(`alter table ${table} add column ${quoteIdent(name)} double precision;`);
    what.push(`${f.family}_drop_${name}`);
    columns.splice(columns.indexOf(name), 1);
  }
  return { statements, down, what, columns };
}

/** A new family: its row in bqx.families (ord last; bqx migrate's catalog sync renumbers), its tables, its grants. */
function newFamilyDdl(f: FamilyDef): string {
  const tables = [`bqx.${quoteIdent(f.family)}`, ...PAIRS.map((p) => `bqx.${quoteIdent(`${f.family}_${p.pair}`)}`)];
  return [
    `-- New family ${f.family}: its tables (month partitions are made by the refresh functions on the way).`,
    `insert into bqx.families (family, kind, ord, depends_on, lookback_bars, counts_as_feature, description)`,
    `select ${quoteLiteral(f.family)}, ${quoteLiteral(f.kind)}, coalesce(max(ord), 0) + 1, array[${f.dependsOn.map(quoteLiteral).join(', ')}]::text[], ${f.lookbackBars}, ${f.countsAsFeature}, ${quoteLiteral(f.description)}`,
    `from bqx.families;`,
    familyTableDdl(f),
    `grant select, insert, update, delete on table ${tables.join(', ')} to bqx_writer, bqx_owner;`,
    `grant select on table ${tables.join(', ')} to bqx_reader;`,
  ].join('\n');
}

/** The migration file's text (node-pg-migrate's SQL format). */
export function catalogMigrationText(diff: CatalogDiff): string {
  return [
    '-- Up Migration',
    '-- Generated from the diff of src/features/catalog against sql/schema/catalog.json by',
    '-- scripts/gen-catalog-migration.ts (npm run gen:catalog-migration). Immutable once merged.',
    '',
    diff.statements.join('\n\n'),
    '',
    '-- Down Migration',
    diff.down.join('\n'),
    '',
  ].join('\n');
}
