/**
 * The cross-pair part of the causality recompute (spec section 8; README, "Cross-pair families",
 * Causality across pairs): for a row whose families read the cross-section, truncating the row's own
 * pair is not enough (a cross-pair look-ahead would pass). Inside the caller's rolled-back transaction,
 * every pair's bars after t go, and each cross-sectional family the row's families read is recomputed over
 * the row's lookback, before the caller recomputes the row's own families on top of it.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { family as familyDef } from '../features/catalog/index.ts';
import { crossFamiliesRead } from '../runner/planCross.ts';

const sql = (name: string) => loadSql(import.meta.url, `./sql/${name}.sql`);

/**
 * Returns the cross families recomputed ([] when the families read none; nothing is deleted then).
 * `from` is where the caller recomputes the row's families; the cross-section is recomputed from the
 * pair's bar that many reader-lookback bars earlier (a pair's bars are grid minutes, so that many grid
 * minutes lie after it), so every cross row the recomputed families read comes from the truncated history.
 */
export async function recomputeCrossSection(
  c: pg.ClientBase,
  pair: string,
  families: readonly string[],
  t: Date,
  from: Date,
): Promise<string[]> {
  const cross = crossFamiliesRead(families);
  if (!cross.length) return [];
  await c.query(sql('pg_truncate_all_pairs'), [t]);
  const readers = families.filter((f) => crossFamiliesRead([f]).length);
  const back = Math.max(...readers.map((f) => familyDef(f).lookbackBars));
  const start = (await c.query<{ ts: Date }>(loadSql(import.meta.url, '../runner/sql/bar_before.sql'), [pair, from, back])).rows[0].ts;
  for (const f of cross) {
    // a catalog family's name, quoted: never raw input
    await c.query(`select bqx.${quoteIdent(`refresh_${f}`)}($1, $2)`, [start, new Date(t.getTime() + 60_000)]);
  }
  return cross;
}
