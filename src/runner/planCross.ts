/**
 * The plan of the cross-sectional families (CROSS_SECTIONAL: computed in one refresh from all 28 pairs;
 * README, "Cross-pair families (Wave 3)"). A unit is (family, all 28 pairs, range), planned like a pair's
 * (planIncremental.ts) from its own watermark (bqx.cross_watermarks) and dirty spans
 * (bqx.cross_dirty_ranges, written by the bqx.m1 triggers for a change of any pair's bars):
 *
 * - Horizon: the earliest of the pairs' last bars, except that a pair more than CARRY_MINUTES behind the
 *   newest bar does not hold it back (cross_horizon.sql). The tail runs from the watermark to it.
 * - A dirty span [lo, hi] reaches from lo to the family's lookback in grid minutes after hi plus the carry
 *   (cross_reach.sql). A span wholly past both the watermark and the horizon waits for the tail.
 * - Overlapping or touching ranges merge into one unit, carrying the ids of the spans it covers.
 */
import type pg from 'pg';
import { parse as parseRange } from 'postgres-range';
import { loadSql } from '../db/loadSql.ts';
import { CARRY_MINUTES } from '../features/catalog/currencyStrength.ts';
import { CROSS_SECTIONAL, family as familyDef } from '../features/catalog/index.ts';
import type { BackfillRange } from './BackfillRange.ts';
import type { Blocked } from './planIncremental.ts';
import { spanInside } from './spanInside.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const MINUTE = 60_000;
const CARRY = CARRY_MINUTES * MINUTE;

/** The pair key of a cross unit in bqx.refresh_runs, results and logs: all 28 pairs (no pair is '*'). */
export const ALL_PAIRS = '*';

export interface CrossUnit {
  family: string;
  from: number;
  to: number;
  dirtyIds: number[];
  /** The horizon when the unit runs on from the watermark (it then advances it), else null. */
  advanceTo: number | null;
  /** Planned from the watermark and dirty spans: skip it if another runner did it since the plan. */
  incremental?: boolean;
}

export interface CrossPlan {
  units: CrossUnit[];
  blocked: Blocked[];
}

/** How far the cross-section can be computed and which pair holds it there. */
export interface Horizon {
  horizon: number | null;
  heldBy: string | null;
  newest: number | null;
  first: number | null;
  /** Pairs more than CARRY_MINUTES behind the newest bar (or without bars): they hold nothing back. */
  pairsBehind: number;
}

export async function crossHorizon(c: pg.ClientBase): Promise<Horizon> {
  const r = (
    await c.query<{ horizon: Date | null; held_by: string | null; newest: Date | null; first_bar: Date | null; pairs_behind: number }>(
      sql('cross_horizon'),
    )
  ).rows[0];
  return {
    horizon: r.horizon?.getTime() ?? null,
    heldBy: r.held_by,
    newest: r.newest?.getTime() ?? null,
    first: r.first_bar?.getTime() ?? null,
    pairsBehind: r.pairs_behind,
  };
}

interface CrossState {
  family: string;
  refreshed_through: Date | null;
  retry_at: Date | null;
  failures: number;
  last_error: string | null;
  dirty: Array<{ id: number; pair: string; span: string }>;
}

const pgTime = (s: string) => Date.parse(s.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
function closedSpan(text: string): { lo: number; hi: number } {
  const r = parseRange(text, pgTime);
  if (r.lower === null || r.upper === null) throw new Error(`unbounded dirty span ${text}`);
  return { lo: r.isLowerBoundClosed() ? r.lower : r.lower + 1, hi: r.isUpperBoundClosed() ? r.upper : r.upper - 1 };
}

/** The cross families the given per-pair families read (generic over CROSS_SECTIONAL). */
export function crossFamiliesRead(families: readonly string[]): string[] {
  const read = new Set(families.flatMap((f) => familyDef(f).dependsOn));
  return CROSS_SECTIONAL.filter((f) => read.has(f.family)).map((f) => f.family);
}

/** Whether a per-pair family reads a cross-sectional one (it then runs after the cross wave). */
export function readsCross(family: string): boolean {
  return crossFamiliesRead([family]).length > 0;
}

async function loadCross(c: pg.ClientBase, families: readonly string[]): Promise<CrossState[]> {
  // in catalog order (CROSS_SECTIONAL), the order the units run and are reported in
  const order = (f: string) => CROSS_SECTIONAL.findIndex((x) => x.family === f);
  return (await c.query<CrossState>(sql('cross_state'))).rows
    .filter((r) => families.includes(r.family))
    .sort((a, b) => order(a.family) - order(b.family));
}

interface Interval {
  from: number;
  to: number;
  ids: number[];
}

function merge(intervals: Interval[]): Interval[] {
  intervals.sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const r of intervals) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to) {
      last.to = Math.max(last.to, r.to);
      last.ids.push(...r.ids);
    } else out.push({ ...r, ids: [...r.ids] });
  }
  return out;
}

/** [from, to) a change of bars in [lo, hi] reaches in `family`, given the end of all bars. */
async function reach(c: pg.ClientBase, family: string, lo: number, hi: number, end: number): Promise<Interval> {
  const back = familyDef(family).lookbackBars;
  const ts = (await c.query<{ ts: Date | null }>(sql('cross_reach'), [new Date(hi + CARRY), back])).rows[0].ts;
  const to = ts ? Math.min(ts.getTime() + MINUTE, end) : end;
  return { from: lo, to: Math.max(to, lo + MINUTE), ids: [] };
}

function backoff(s: CrossState, now: Date): Blocked | null {
  if (!s.retry_at || s.retry_at <= now) return null;
  return {
    pair: ALL_PAIRS,
    family: s.family,
    reason: `in backoff until ${s.retry_at.toISOString()} after ${s.failures} failure(s): ${s.last_error ?? ''}`,
  };
}

/** The incremental plan of the cross families `families`: tails to the horizon and dirty spans. */
export async function planCrossIncremental(c: pg.ClientBase, families: readonly string[], now = new Date()): Promise<CrossPlan> {
  const h = await crossHorizon(c);
  const units: CrossUnit[] = [];
  const blocked: Blocked[] = [];
  if (h.horizon === null || h.first === null || h.newest === null) return { units, blocked };
  const tailEnd = h.horizon + MINUTE;
  const end = h.newest + MINUTE;
  for (const s of await loadCross(c, families)) {
    const b = backoff(s, now);
    if (b) {
      blocked.push(b);
      continue;
    }
    const through = s.refreshed_through?.getTime() ?? null;
    const intervals: Interval[] = [];
    let tail: Interval | null = null;
    if (through === null) tail = { from: h.first, to: tailEnd, ids: [] };
    else if (through < h.horizon) tail = { from: through + 1, to: tailEnd, ids: [] };
    if (tail) intervals.push(tail);
    // raw spans that overlap or touch (within the carry) merge before their reach is counted: the spans of
    // one tick's statement are one per pair, all about the same minutes
    const spans = s.dirty
      .map((d) => ({ id: Number(d.id), ...closedSpan(d.span) }))
      .filter((d) => !(d.lo >= tailEnd && (through === null || d.lo > through)))
      .sort((a, b) => a.lo - b.lo);
    const groups: Array<{ lo: number; hi: number; ids: number[] }> = [];
    for (const d of spans) {
      const g = groups[groups.length - 1];
      if (g && d.lo <= g.hi + CARRY + MINUTE) {
        g.hi = Math.max(g.hi, d.hi);
        g.ids.push(d.id);
      } else groups.push({ lo: d.lo, hi: d.hi, ids: [d.id] });
    }
    let toEnd = false;
    for (const g of groups) {
      const r = toEnd ? { from: g.lo, to: end, ids: [] } : await reach(c, s.family, g.lo, g.hi, end);
      r.ids = g.ids;
      if (r.to >= end) toEnd = true;
      intervals.push(r);
    }
    for (const m of merge(intervals)) {
      const advances = tail !== null && m.from <= tail.from && m.to >= tail.to;
      units.push({ family: s.family, from: m.from, to: m.to, dirtyIds: m.ids, advanceTo: advances ? h.horizon : null, incremental: true });
    }
  }
  return { units, blocked };
}

/**
 * A backfill's cross units: each family over [from, to), taking along the dirty spans whose whole reach
 * lies inside it (a month of a longer backfill, `whole`: whose reach ends in it and lies inside the
 * whole range, BackfillRange.ts); the watermark advances when the range starts at or before it (or it
 * has none).
 */
export async function planCrossRange(
  c: pg.ClientBase,
  families: readonly string[],
  from: number,
  to: number,
  whole?: BackfillRange,
): Promise<CrossPlan> {
  const h = await crossHorizon(c);
  const units: CrossUnit[] = [];
  const end = (h.newest ?? to) + MINUTE;
  const cross = await loadCross(c, families);
  const seen = whole?.firstSeen(ALL_PAIRS, () => cross.flatMap((s) => s.dirty.map((d) => Number(d.id))));
  for (const s of cross) {
    const through = s.refreshed_through?.getTime() ?? null;
    const ids: number[] = [];
    for (const d of s.dirty) {
      const span = closedSpan(d.span);
      const r = await reach(c, s.family, span.lo, span.hi, end);
      const takes = whole && seen ? whole.takes(seen, Number(d.id), [from, to], r.from, r.to) : spanInside(from, to, r.from, r.to);
      if (takes) ids.push(Number(d.id));
    }
    // through is a grid minute: a range starting at the next minute continues it (a backfill's next month)
    const contiguous = through === null ? h.first !== null && from <= h.first : from <= through + MINUTE;
    const advanceTo = contiguous && h.horizon !== null ? Math.min(h.horizon, to - 1) : null;
    units.push({ family: s.family, from, to, dirtyIds: ids, advanceTo });
  }
  return { units, blocked: [] };
}
