/**
 * currency_strength as plain loops (catalog: src/features/catalog/currencyStrength.ts): the grid is the
 * sorted union of every pair's bar minutes; at each grid minute a pair's price is its last bar at or
 * before it, if at most CARRY_MINUTES old; a currency's level is the mean of s * ln(close) over its 7
 * pairs (in pair order), and the windows count grid rows.
 */
import { CARRY_MINUTES, STRENGTH_MOMENTUM, STRENGTH_SMA } from '../../../src/features/catalog/currencyStrength.ts';
import { CURRENCIES, PAIRS } from '../../../src/features/pairs.ts';
import type { Row } from './bqxReference.ts';

export interface CloseBar {
  pair: string;
  ts: number;
  close: number;
}

/** Rows per currency, each with ts (ms) and the catalog's columns, in grid order. */
export function currencyStrengthReference(bars: CloseBar[]): Map<string, Array<Row & { ts: number }>> {
  const byPair = new Map<string, CloseBar[]>(PAIRS.map((p) => [p.pair, []]));
  for (const b of bars) byPair.get(b.pair)!.push(b);
  for (const list of byPair.values()) list.sort((a, b) => a.ts - b.ts);
  const grid = [...new Set(bars.map((b) => b.ts))].sort((a, b) => a - b);
  // price[pair][g] and live[pair][g] by walking each pair's bars along the grid
  const price = new Map<string, Array<number | null>>();
  const live = new Map<string, boolean[]>();
  for (const [pair, list] of byPair) {
    const pr: Array<number | null> = [];
    const lv: boolean[] = [];
    let i = -1;
    for (const m of grid) {
      while (i + 1 < list.length && list[i + 1].ts <= m) i++;
      const last = i >= 0 ? list[i] : null;
      pr.push(last && m - last.ts <= CARRY_MINUTES * 60_000 ? last.close : null);
      lv.push(last !== null && last.ts === m);
    }
    price.set(pair, pr);
    live.set(pair, lv);
  }
  const out = new Map<string, Array<Row & { ts: number }>>();
  for (const c of CURRENCIES) {
    const legs = PAIRS.filter((p) => p.base === c || p.quote === c).map((p) => ({ pair: p.pair, s: p.base === c ? 1 : -1 }));
    const level: Array<number | null> = grid.map((_, g) => {
      let sum = 0;
      for (const l of legs) {
        const x = price.get(l.pair)![g];
        if (x === null) return null;
        sum += l.s * Math.log(x);
      }
      return sum / legs.length;
    });
    const diff = (g: number, k: number) => (g - k >= 0 && level[g] !== null && level[g - k] !== null ? level[g]! - level[g - k]! : null);
    out.set(
      c,
      grid.map((ts, g) => {
        const row: Row & { ts: number } = { ts, strength_level: level[g], strength_ret: diff(g, 1) };
        for (const W of STRENGTH_MOMENTUM) row[`strength_mom_${W}`] = diff(g, W);
        for (const W of STRENGTH_SMA) {
          let sum = 0;
          let ok = g >= W - 1;
          for (let k = g - W + 1; ok && k <= g; k++) {
            if (level[k] === null) ok = false;
            else sum += level[k]!;
          }
          row[`strength_sma_${W}`] = ok ? sum / W : null;
        }
        row.pairs_live = legs.filter((l) => live.get(l.pair)![g]).length;
        return row;
      }),
    );
  }
  return out;
}
