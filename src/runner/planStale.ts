/**
 * The catch-up plan of a pair's stale rows (rows computed under an older definition: staleRows.ts), in
 * bounded units of at most `definition_unit_days` (bqx.settings):
 *
 * - The in-engine families newest first, chunk by chunk of the union of their stale spans, in dependency
 *   order within a chunk, so the bars a model sees next are right first and the oldest history comes last.
 *   A family read by stale families is recomputed, where its rows are stale, from the first bar its
 *   readers' units read (inputWindow), so every reader finds current inputs over its lookback: the older
 *   chunk's units later recompute that overlap again, idempotently. (A definition change renumbers no bar: unlike a late bar's
 *   dirty span, it reaches no further than the rows it changed.)
 * - The TypeScript families oldest first, each chunk carrying OBV from the stored row before it, and only
 *   once the families they read have no stale rows left (before that their units would read stale rows).
 * - A family reading one whose rows are stale but that the run leaves out (--family) is left out too.
 * - A family reading a cross-sectional table whose rows are stale (planCrossStale.ts) waits for a later
 *   round: catchUpDefinitions runs the cross units first.
 * Whatever the order, a unit that reads stale rows records its rows as 'inputs-stale' (recordDefinition),
 * so the plan can only ever be slower, never wrong.
 */
import type pg from 'pg';
import { liveFingerprints } from '../db/liveFingerprints.ts';
import { loadSql } from '../db/loadSql.ts';
import { FAMILIES } from '../features/catalog/index.ts';
import { inputWindow } from './inputWindow.ts';
import { crossFamiliesRead } from './planCross.ts';
import { crossStaleSpans } from './planCrossStale.ts';
import type { Blocked, PairState, Plan } from './planIncremental.ts';
import type { Unit } from './runUnit.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface Span {
  lo: number;
  hi: number;
}

/** Sorted, merged spans. */
function union(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.lo - b.lo)) {
    const last = out[out.length - 1];
    if (last && s.lo <= last.hi) last.hi = Math.max(last.hi, s.hi);
    else out.push({ ...s });
  }
  return out;
}

/** [lo, hi) cut into chunks of at most `size`, newest first. */
export function chunksNewestFirst(spans: Span[], size: number): Span[] {
  const out: Span[] = [];
  for (const s of [...union(spans)].reverse()) {
    for (let hi = s.hi; hi > s.lo; hi -= size) out.push({ lo: Math.max(s.lo, hi - size), hi });
  }
  return out;
}

/** The part of `spans` inside `chunk`, as one hull (null: none). */
function within(spans: Span[], chunk: Span): Span | null {
  const parts = spans.filter((s) => s.lo < chunk.hi && s.hi > chunk.lo);
  if (!parts.length) return null;
  return { lo: Math.max(chunk.lo, Math.min(...parts.map((p) => p.lo))), hi: Math.min(chunk.hi, Math.max(...parts.map((p) => p.hi))) };
}

export async function planStale(c: pg.ClientBase, pair: string, families: readonly string[]): Promise<Plan> {
  const state = (await c.query<PairState>(sql('pair_state'), [pair])).rows[0];
  if (!state.last_bar) return { units: [], blocked: [] };
  const first = state.first_bar!.getTime();
  const end = state.last_bar.getTime() + MINUTE;
  const fps = await liveFingerprints(c);
  const size = Math.max(MINUTE, (await c.query<{ days: number; tick_seconds: number }>(sql('definition_unit_days'))).rows[0].days * DAY);
  const stale = new Map<string, Span[]>();
  for (const r of (
    await c.query<{ family: string; lo: Date; hi: Date }>(sql('stale_spans'), [
      pair,
      [...fps.keys()],
      [...fps.values()],
      new Date(first),
      new Date(end),
    ])
  ).rows) {
    if (!stale.has(r.family)) stale.set(r.family, []);
    stale.get(r.family)!.push({ lo: r.lo.getTime(), hi: r.hi.getTime() });
  }
  const barBefore = async (ts: number, n: number) =>
    (await c.query<{ ts: Date }>(sql('bar_before'), [pair, new Date(ts), n])).rows[0].ts.getTime();

  const blocked: Blocked[] = [];
  const planned = FAMILIES.filter((f) => families.includes(f.family) && stale.has(f.family)).filter((f) => {
    const left = f.dependsOn.find((d) => stale.has(d) && !families.includes(d));
    if (left)
      blocked.push({
        pair,
        family: f.family,
        reason: `reads ${left}, whose rows are stale and which this run leaves out (add it to --family)`,
      });
    return !left;
  });
  // a family reading a cross-sectional table with stale rows waits for a later round, once the catch-up's
  // cross units (catchUpDefinitions, before the pairs) have made it current
  const readsCross = crossFamiliesRead(planned.map((f) => f.family));
  const crossStale = readsCross.length ? await crossStaleSpans(c, readsCross) : new Map<string, Span[]>();
  const ready = planned.filter((f) => !f.dependsOn.some((d) => crossStale.has(d)));
  const units: Unit[] = [];
  const sqlFamilies = ready.filter((f) => f.kind !== 'ts');
  for (const chunk of chunksNewestFirst(
    sqlFamilies.flatMap((f) => stale.get(f.family)!),
    size,
  )) {
    // readers first (reverse dependency order): a family's unit reaches back to the bars its stale
    // readers' units read, wherever its own rows there are stale
    const range = new Map<string, Span>();
    for (const f of [...sqlFamilies].reverse()) {
      let lo = chunk.lo;
      for (const r of sqlFamilies.filter((x) => x.dependsOn.includes(f.family) && range.has(x.family))) {
        lo = Math.min(lo, await barBefore(range.get(r.family)!.lo, inputWindow(r.family).back));
      }
      const part = within(stale.get(f.family)!, { lo, hi: chunk.hi });
      if (part) range.set(f.family, part);
    }
    for (const f of sqlFamilies) {
      const r = range.get(f.family);
      if (r) units.push({ pair, family: f.family, from: r.lo, to: r.hi, dirtyIds: [] });
    }
  }
  for (const f of ready.filter((x) => x.kind === 'ts')) {
    // planned in a later round (catchUpDefinitions), once the rows it reads are current
    if (f.dependsOn.some((d) => stale.has(d))) continue;
    for (const chunk of chunksNewestFirst(stale.get(f.family)!, size).reverse())
      units.push({ pair, family: f.family, from: chunk.lo, to: chunk.hi, dirtyIds: [] });
  }
  return { units, blocked };
}
