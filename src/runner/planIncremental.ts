/**
 * The plans of the runner: which (family, range) units bring every refreshable family of a pair up to
 * date, from ranges of dirty bars (bqx.dirty_ranges) and the watermarks (bqx.watermarks).
 *
 * - Never refreshed: the whole series.
 * - Dirty spans [lo, hi]: every statement that inserts, updates or deletes bars of bqx.m1 records the span
 *   it touched for every family (statement triggers), whatever the span's length: one bar, a week, a
 *   year loaded behind the live feed. A span is recomputed with everything it reaches (`reach`): back, the
 *   look-ahead of labels (75 bars: their targets read the changed bars); forward, the lookback of the
 *   family plus that of the families it reads (bqx reads m1, the BQX-domain families read bqx), and to
 *   the end of the series for the families whose values depend on the pair's global row numbering (the
 *   block-aligned running sums: an inserted or deleted bar renumbers every later bar, and a clean build
 *   in bar order would sum them in other blocks) and for the TypeScript families (OBV never forgets).
 * - New bars past the watermark (the tail): from the bar after it (labels from 75 bars before it). The
 *   tail is also covered by the insert's own span; it stays for stores that predate bqx.dirty_ranges.
 * - The late-bar mark of older ingests (watermarks.dirty_from) is read as a span of one bar.
 * Ranges that overlap or touch merge into one unit, which carries the ids of the dirty rows it covers:
 * the unit deletes exactly those in its transaction, so a span recorded meanwhile keeps its row.
 * - A unit in backoff (retry_at in the future) is left out, and so are the families that read it; the
 *   plan reports them as blocked so the command can say the store is not up to date.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { parse as parseRange } from 'postgres-range';
import { loadSql } from '../db/loadSql.ts';
import { SQL_DIR } from '../db/paths.ts';
import { CROSS_SECTIONAL, FAMILIES, family as familyDef } from '../features/catalog/index.ts';
import type { BackfillRange } from './BackfillRange.ts';
import { refreshableFamilies } from './refreshFamily.ts';
import type { Unit } from './runUnit.ts';
import { spanInside } from './spanInside.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const MINUTE = 60_000;
const CROSS_NAMES = new Set(CROSS_SECTIONAL.map((f) => f.family));

interface Mark {
  through: string | null;
  dirty: string | null;
  retry_at: string | null;
  failures: number;
  last_error: string | null;
}
/** A row of pair_state.sql: the pair's first and last bar (NULL without bars) and its families' watermarks. */
export interface PairState {
  first_bar: Date | null;
  last_bar: Date | null;
  marks: Record<string, Mark>;
}
interface DirtyRow {
  id: number;
  family: string;
  lo: number;
  hi: number;
}
/** A family the plan left out: in backoff, or reading one that is. */
export interface Blocked {
  pair: string;
  family: string;
  reason: string;
}

let numbered: Set<string> | null = null;
/**
 * Families whose values depend on the pair's global row numbering: their refresh function cuts the
 * pair's series into blocks of B > 1 rows by the global row index r (`r / B`, `r % B`: running sums
 * restarted per block, or window-only sums whose anchor is a block's first row), so a bar inserted in
 * the middle renumbers, and changes the bits of, every later value. Read from the generated
 * functions, so a new family is classified by what it does.
 */
export function numberedFamilies(): Set<string> {
  if (numbered) return numbered;
  numbered = new Set();
  for (const f of FAMILIES) {
    const file = path.join(SQL_DIR, 'functions', `bqx.refresh_${f.family}.sql`);
    if (!fs.existsSync(file)) continue;
    // whitespace-tolerant: layout is not definition, a line may break anywhere between tokens
    const text = fs.readFileSync(file, 'utf8');
    const blocks = [...text.matchAll(/\br\s*[/%]\s*(\d+)\b/g)].map((m) => Number(m[1]));
    if (blocks.some((b) => b > 1)) numbered.add(f.family);
  }
  return numbered;
}

/** Bars a change at T reaches forward in `family` (Infinity: to the end of the series). */
export function forwardSpan(family: string): number {
  const f = familyDef(family);
  if (f.kind === 'ts' || numberedFamilies().has(f.family)) return Infinity;
  const deps = f.dependsOn.filter((d) => d !== 'm1').map(forwardSpan);
  return f.lookbackBars + Math.max(0, ...deps);
}

/** Bars a change at T reaches back in `family`: look-aheads (labels), its own and its inputs'. */
export function backwardSpan(family: string): number {
  const f = familyDef(family);
  const deps = f.dependsOn.filter((d) => d !== 'm1').map(backwardSpan);
  return (f.lookaheadBars ?? 0) + Math.max(0, ...deps);
}

/** Bounds of a tstzrange as text (the session runs in UTC): "2024-07-01 00:00:00+00". */
const pgTime = (s: string) => Date.parse(s.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));

export function parseSpan(text: string): { lo: number; hi: number } {
  const r = parseRange(text, pgTime);
  if (r.lower === null || r.upper === null) throw new Error(`unbounded dirty span ${text}`);
  // closed bounds in bars: an open bound moves one millisecond in (no bar sits between)
  return { lo: r.isLowerBoundClosed() ? r.lower : r.lower + 1, hi: r.isUpperBoundClosed() ? r.upper : r.upper - 1 };
}

interface Interval {
  from: number;
  to: number;
  ids: number[];
  dirty: Date | null;
}

/** The pair's series and the queries that count bars on it, for one plan. */
class Series {
  constructor(
    private readonly c: pg.ClientBase,
    readonly pair: string,
    readonly first: number,
    readonly end: number,
  ) {}

  private async barAfter(ts: number, n: number): Promise<number> {
    return (await this.c.query<{ ts: Date }>(sql('bar_after'), [this.pair, new Date(ts), n])).rows[0].ts.getTime();
  }

  private async barBefore(ts: number, n: number): Promise<number> {
    return (await this.c.query<{ ts: Date }>(sql('bar_before'), [this.pair, new Date(ts), n])).rows[0].ts.getTime();
  }

  /** The range of `family` a change of the bars in [lo, hi] reaches: [from, to), within the series. */
  async reach(family: string, lo: number, hi: number): Promise<{ from: number; to: number }> {
    const back = backwardSpan(family);
    const fwd = forwardSpan(family);
    const a = Math.max(lo, this.first);
    const from = back ? await this.barBefore(a, back) : a;
    const to = fwd === Infinity || hi >= this.end ? this.end : (await this.barAfter(hi, fwd)) + MINUTE;
    return { from: Math.min(from, a), to: Math.min(Math.max(to, from + 1), this.end) };
  }

  /** Where the new bars after a watermark start for `family` (the look-ahead bars before it see them). */
  async tailFrom(family: string, through: number): Promise<number> {
    const back = backwardSpan(family);
    return back ? this.barBefore(through, back - 1) : through + 1;
  }
}

interface CrossMark {
  family: string;
  refreshed_through: Date | null;
  retry_at: Date | null;
  failures: number;
  last_error: string | null;
}

/**
 * The end of what a family reading the cross-section can compute: the minute after the earliest of its
 * cross families' watermarks (its watermark is min(pair's, cross-section's)); null when it reads none,
 * 0 when one was never computed.
 */
function crossEnd(fam: string, cross: CrossMark[]): number | null {
  const read = familyDef(fam).dependsOn.filter((d) => CROSS_NAMES.has(d));
  if (!read.length) return null;
  let end = Infinity;
  for (const d of read) {
    const t = cross.find((m) => m.family === d)?.refreshed_through;
    end = Math.min(end, t ? t.getTime() + MINUTE : 0);
  }
  return end;
}

async function loadState(c: pg.ClientBase, pair: string) {
  const state = (await c.query<PairState>(sql('pair_state'), [pair])).rows[0];
  const dirty: DirtyRow[] = (await c.query<{ id: number; family: string; span: string }>(sql('dirty_spans'), [pair])).rows.map((r) => ({
    id: Number(r.id),
    family: r.family,
    ...parseSpan(r.span),
  }));
  return { state, dirty };
}

function merge(pair: string, family: string, intervals: Interval[]): Unit[] {
  intervals.sort((a, b) => a.from - b.from);
  const units: Unit[] = [];
  for (const r of intervals) {
    const last = units[units.length - 1];
    if (last && r.from <= last.to) {
      last.to = Math.max(last.to, r.to);
      last.dirty = last.dirty ?? r.dirty;
      last.dirtyIds!.push(...r.ids);
    } else {
      units.push({ pair, family, from: r.from, to: r.to, dirty: r.dirty, dirtyIds: [...r.ids], incremental: true });
    }
  }
  return units;
}

export interface Plan {
  units: Unit[];
  blocked: Blocked[];
}

export async function planPair(c: pg.ClientBase, pair: string, families: readonly string[], now = new Date()): Promise<Plan> {
  const { state, dirty } = await loadState(c, pair);
  if (!state.last_bar) return { units: [], blocked: [] };
  const full = new Series(c, pair, state.first_bar!.getTime(), state.last_bar.getTime() + MINUTE);
  const marks = state.marks;
  const readers = families.filter((f) => crossEnd(f, []) !== null);
  const cross = readers.length ? (await c.query<CrossMark>(sql('cross_marks'))).rows : [];
  const can = refreshableFamilies();
  const blocked: Blocked[] = [];
  const blockedNames = new Set<string>();
  const units: Unit[] = [];

  for (const def of FAMILIES) {
    const fam = def.family;
    if (!families.includes(fam) || !can.includes(fam)) continue;
    const m = marks[fam];
    const upstream =
      def.dependsOn.find((d) => blockedNames.has(d)) ??
      def.dependsOn.find((d) => cross.some((x) => x.family === d && x.retry_at && x.retry_at > now));
    if (upstream || (m?.retry_at && new Date(m.retry_at) > now)) {
      blockedNames.add(fam);
      blocked.push({
        pair,
        family: fam,
        reason: upstream
          ? `reads ${upstream}, which is not up to date`
          : `in backoff until ${new Date(m!.retry_at!).toISOString()} after ${m!.failures} failure(s): ${m!.last_error ?? ''}`,
      });
      continue;
    }
    // a family reading the cross-section computes no further than it (a dirty span past it waits for the tail)
    const ce = crossEnd(fam, cross);
    const s = ce === null || ce >= full.end ? full : new Series(c, pair, full.first, ce);
    if (s.end <= s.first) continue;
    const mine = dirty.filter((d) => d.family === fam && d.lo < s.end);
    if (!m?.through) {
      units.push({
        pair,
        family: fam,
        from: s.first,
        to: s.end,
        dirty: m?.dirty ? new Date(m.dirty) : null,
        dirtyIds: mine.map((d) => d.id),
        incremental: true,
      });
      continue;
    }
    const through = new Date(m.through).getTime();
    const intervals: Interval[] = [];
    if (through < s.end - MINUTE) intervals.push({ from: await s.tailFrom(fam, through), to: s.end, ids: [], dirty: null });
    if (m.dirty) {
      const t = new Date(m.dirty).getTime();
      intervals.push({ ...(await s.reach(fam, t, t)), ids: [], dirty: new Date(m.dirty) });
    }
    // Spans in time order; once one reaches the end, every later one is inside it: no more bar counting.
    mine.sort((a, b) => a.lo - b.lo);
    let toEnd: Interval | null = null;
    for (const d of mine) {
      if (toEnd && d.lo >= toEnd.from) {
        toEnd.ids.push(d.id);
        continue;
      }
      const r: Interval = { ...(await s.reach(fam, d.lo, d.hi)), ids: [d.id], dirty: null };
      intervals.push(r);
      if (r.to >= s.end && !toEnd) toEnd = r;
    }
    units.push(...merge(pair, fam, intervals));
  }
  return { units, blocked };
}

/** The incremental plan's units (the blocked families are left out). */
export async function planIncremental(c: pg.ClientBase, pair: string, families: readonly string[], now = new Date()): Promise<Unit[]> {
  return (await planPair(c, pair, families, now)).units;
}

/**
 * A backfill's plan: every family over [from, to), in dependency order. Each unit takes along the dirty
 * spans whose whole reach lies inside its range (a backfill of everything leaves nothing for the next
 * refresh to redo); the others stay for the incremental plan. A month of a longer backfill (`whole`)
 * takes the spans whose reach ends in it and lies inside the whole range (BackfillRange.ts).
 */
export async function planRange(
  c: pg.ClientBase,
  pair: string,
  families: readonly string[],
  from: number,
  to: number,
  whole?: BackfillRange,
): Promise<Plan> {
  const { state, dirty } = await loadState(c, pair);
  const marks = state.marks as Record<string, Mark>;
  const markId = (family: string, at: string) => `${family}@${new Date(at).toISOString()}`;
  const seen = whole?.firstSeen(pair, () => [
    ...dirty.map((d) => d.id),
    ...Object.entries(marks).flatMap(([f, m]) => (m?.dirty ? [markId(f, m.dirty)] : [])),
  ]);
  const takes = (id: number | string, r: { from: number; to: number }) =>
    whole && seen ? whole.takes(seen, id, [from, to], r.from, r.to) : spanInside(from, to, r.from, r.to);
  const units: Unit[] = families.map((family) => ({ pair, family, from, to, dirtyIds: [] }));
  if (!state.last_bar) return { units, blocked: [] };
  const s = new Series(c, pair, (state.first_bar as Date).getTime(), (state.last_bar as Date).getTime() + MINUTE);
  for (const u of units) {
    for (const d of dirty.filter((x) => x.family === u.family)) {
      if (takes(d.id, await s.reach(u.family, d.lo, d.hi))) u.dirtyIds!.push(d.id);
    }
    const mark = marks[u.family]?.dirty;
    if (mark) {
      const t = new Date(mark).getTime();
      if (takes(markId(u.family, mark), await s.reach(u.family, t, t))) u.dirty = new Date(mark);
    }
  }
  return { units, blocked: [] };
}
