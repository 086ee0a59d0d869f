/**
 * Records, in the refresh's own transaction, which definition computed the rows of (pair, family) over
 * [from, to): the live fingerprint, or 'inputs-stale' when the refresh read rows of an older definition
 * (sql/record_definition.sql): a family it reads, or a cross-sectional table it reads
 * (bqx.cross_definitions), is stale over its input window. So a unit of new bars computed while the
 * history before them is still stale never counts as current.
 */
import type pg from 'pg';
import { liveDefinitions } from '../db/liveFingerprints.ts';
import { loadSql } from '../db/loadSql.ts';
import { CROSS_SECTIONAL, family as familyDef } from '../features/catalog/index.ts';
import { inputWindow } from './inputWindow.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

const CROSS = new Set(CROSS_SECTIONAL.map((x) => x.family));

/** The fingerprint recorded for rows whose inputs were of an older definition. */
export const INPUTS_STALE = 'inputs-stale';

export async function recordDefinition(c: pg.ClientBase, family: string, pair: string, from: number, to: number): Promise<string | null> {
  const fps = await liveDefinitions(c);
  const fp = fps.get(family);
  if (!fp) return null; // no live definition (a store without the function): nothing to vouch for
  const f = familyDef(family);
  // the families it reads (bqx.family_definitions) and the cross-sectional tables (bqx.cross_definitions)
  const deps = f.dependsOn.filter((d) => fps.has(d) && !CROSS.has(d));
  const crossDeps = f.dependsOn.filter((d) => fps.has(d) && CROSS.has(d));
  const w = inputWindow(family);
  const r = await c.query<{ fingerprint: string; cut: number }>(sql('record_definition'), [
    pair,
    family,
    fp,
    new Date(from),
    new Date(to),
    deps,
    deps.map((d) => fps.get(d)),
    w.back,
    w.ahead,
    f.kind === 'ts',
    crossDeps,
    crossDeps.map((d) => fps.get(d)),
  ]);
  await c.query(sql('prune_definitions'), [pair, family]);
  return r.rows[0].fingerprint;
}
