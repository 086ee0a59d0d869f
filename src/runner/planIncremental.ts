/**
 * The incremental plan for one pair: which (family, range) units bring every refreshable family up to the
 * pair's last bar, from the watermarks in bqx.watermarks.
 *
 * - Never refreshed: the whole series.
 * - New bars: from the bar after the watermark (labels, which read 75 bars ahead, from 75 bars before it).
 * - A late bar at T (dirty_from): the span its value reaches. For a window family that is its lookback
 *   plus that of the families it reads (bqx reads m1, bqx-domain families read bqx), counted in bars from
 *   T; labels also reach 75 bars back. TypeScript families recompute to the end: OBV is a running total,
 *   so a late bar changes every later value. Spans that meet the new-bar range merge into one unit.
 * - A unit in backoff (retry_at in the future) is left out, and so are the families that read it.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { FAMILIES, family as familyDef } from '../features/catalog/index.ts';
import type { Unit } from './runUnit.ts';
import { refreshableFamilies } from './refreshFamily.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const MINUTE = 60_000;

interface Mark { through: string | null; dirty: string | null; retry_at: string | null; failures: number }

/** Bars a late bar's effect reaches forward in `family` (Infinity: to the end of the series). */
export function forwardSpan(family: string): number {
  const f = familyDef(family);
  if (f.kind === 'ts') return Infinity;
  const deps = f.dependsOn.filter((d) => d !== 'm1').map(forwardSpan);
  return f.lookbackBars + Math.max(0, ...deps);
}

export async function planIncremental(c: pg.ClientBase, pair: string, families: readonly string[], now = new Date()): Promise<Unit[]> {
  const state = (await c.query(sql('pair_state'), [pair])).rows[0];
  if (!state.last_bar) return [];
  const first = (state.first_bar as Date).getTime();
  const end = (state.last_bar as Date).getTime() + MINUTE;
  const marks = state.marks as Record<string, Mark>;
  const can = refreshableFamilies();
  const blocked = new Set<string>();
  const units: Unit[] = [];
  const barAfter = async (ts: number, n: number) => ((await c.query(sql('bar_after'), [pair, new Date(ts), n])).rows[0].ts as Date).getTime();
  const barBefore = async (ts: number, n: number) => ((await c.query(sql('bar_before'), [pair, new Date(ts), n])).rows[0].ts as Date).getTime();

  for (const def of FAMILIES) {
    const fam = def.family;
    if (!families.includes(fam) || !can.includes(fam)) continue;
    const m = marks[fam];
    if (def.dependsOn.some((d) => blocked.has(d)) || (m?.retry_at && new Date(m.retry_at) > now)) {
      blocked.add(fam);
      continue;
    }
    const ahead = def.lookaheadBars ?? 0;
    if (!m?.through) {
      units.push({ pair, family: fam, from: first, to: end, dirty: m?.dirty ? new Date(m.dirty) : null, incremental: true });
      continue;
    }
    const through = new Date(m.through).getTime();
    // new bars (and the labels whose look-ahead now reaches them)
    let tailFrom = through + 1;
    // the `ahead` bars ending at the watermark now see new bars ahead of them
    if (ahead) tailFrom = await barBefore(through, ahead - 1);
    const ranges: Array<{ from: number; to: number; dirty: Date | null }> = [];
    if (m.dirty) {
      const t = Math.max(new Date(m.dirty).getTime(), first);
      const from = ahead ? await barBefore(t, ahead) : t;
      const span = forwardSpan(fam);
      const to = span === Infinity ? end : (await barAfter(t, span)) + MINUTE;
      ranges.push({ from, to: Math.min(to, end), dirty: new Date(m.dirty) });
    }
    if (through < end - MINUTE) ranges.push({ from: tailFrom, to: end, dirty: null });
    // merge overlapping or touching ranges
    ranges.sort((a, b) => a.from - b.from);
    for (const r of ranges) {
      const last = units.length && units[units.length - 1].family === fam ? units[units.length - 1] : null;
      if (last && r.from <= last.to) {
        last.to = Math.max(last.to, r.to);
        last.dirty = last.dirty ?? r.dirty;
      } else {
        units.push({ pair, family: fam, from: r.from, to: r.to, dirty: r.dirty, incremental: true });
      }
    }
  }
  return units;
}
