/**
 * The catch-up plan of the cross-sectional tables' stale rows: spans bqx.cross_definitions records under
 * another fingerprint than their refresh function's live one (a changed bqx.refresh_currency_strength or
 * bqx.refresh_cross_returns). Units of at most `definition_unit_days`, newest first, as planStale cuts a
 * pair's. A cross refresh reads bars only, so its units run in any order; its readers
 * (correlation_features) wait until the tables they read have no stale span left (planStale), and a reader
 * unit that read stale cross rows records 'inputs-stale' (recordDefinition), as for a pair's families.
 */
import type pg from 'pg';
import { liveCrossFingerprints } from '../db/liveFingerprints.ts';
import { loadSql } from '../db/loadSql.ts';
import { CROSS_SECTIONAL } from '../features/catalog/index.ts';
import { type CrossUnit, crossHorizon } from './planCross.ts';
import { chunksNewestFirst, type Span } from './planStale.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const MINUTE = 60_000;
const DAY = 86_400_000;

/** family -> its stale spans (sorted), for the cross families `families` (every one when omitted). */
export async function crossStaleSpans(c: pg.ClientBase, families?: readonly string[]): Promise<Map<string, Span[]>> {
  const out = new Map<string, Span[]>();
  const fps = [...(await liveCrossFingerprints(c))].filter(([f]) => !families || families.includes(f));
  if (!fps.length) return out;
  const spans = (lo: Date | null, hi: Date | null) =>
    c.query<{ family: string; lo: Date; hi: Date }>(sql('cross_stale_spans'), [fps.map((e) => e[0]), fps.map((e) => e[1]), lo, hi]);
  // every tick asks: the common answer (nothing stale) costs one look at the records, not the horizon
  if (!(await spans(null, null)).rows.length) return out;
  const h = await crossHorizon(c);
  if (h.first === null || h.newest === null) return out;
  for (const r of (await spans(new Date(h.first), new Date(h.newest + MINUTE))).rows) {
    if (!out.has(r.family)) out.set(r.family, []);
    out.get(r.family)!.push({ lo: r.lo.getTime(), hi: r.hi.getTime() });
  }
  return out;
}

/** The cross units that recompute the stale rows of `families`, in catalog order, each newest first. */
export async function planCrossStale(c: pg.ClientBase, families: readonly string[]): Promise<CrossUnit[]> {
  if (!families.length) return [];
  const stale = await crossStaleSpans(c, families);
  const size = Math.max(MINUTE, (await c.query<{ days: number }>(sql('definition_unit_days'))).rows[0].days * DAY);
  const units: CrossUnit[] = [];
  for (const f of CROSS_SECTIONAL.filter((x) => stale.has(x.family))) {
    for (const chunk of chunksNewestFirst(stale.get(f.family)!, size))
      units.push({ family: f.family, from: chunk.lo, to: chunk.hi, dirtyIds: [], advanceTo: null });
  }
  return units;
}
