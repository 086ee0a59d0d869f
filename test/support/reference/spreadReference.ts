/**
 * Independent reference for spread_features, from the catalog's definitions: plain loops over each
 * window, two-pass population moments, flat = all values equal, textbook formulas for the estimators.
 */
import type { Row } from './bqxReference.ts';

type Num = number | null;
export interface Bar {
  close: number;
  high: number;
  low: number;
  volume: Num;
  bid_open: Num;
  bid_close: Num;
  ask_open: Num;
  ask_close: Num;
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const flat = (a: number[]) => a.every((v) => v === a[0]);
function pvar(a: number[]): number {
  const m = mean(a);
  return a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length;
}
function cov(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let c = 0;
  for (let i = 0; i < a.length; i++) c += (a[i] - ma) * (b[i] - mb);
  return c / a.length;
}
function corr(a: number[], b: number[]): Num {
  if (flat(a) || flat(b)) return null;
  return cov(a, b) / Math.sqrt(pvar(a) * pvar(b));
}
/** The `n` values ending at t, or null when any is missing or the series is too short. */
function win<T extends number | bigint>(x: Array<T | null>, t: number, n: number): T[] | null {
  if (t < n - 1) return null;
  const w = x.slice(t - n + 1, t + 1);
  return w.some((v) => v === null) ? null : (w as T[]);
}

const K = 3 - 2 * Math.SQRT2;

export function spreadReference(bars: Bar[], pip: number): Row[] {
  const grid = (x: number) => Math.round(x * 1e8) / 1e8;
  const s: Num[] = bars.map((b) => (b.ask_close === null || b.bid_close === null ? null : grid(b.ask_close - b.bid_close)));
  const v: Num[] = bars.map((b) => b.volume);
  const rm: Num[] = bars.map((b, i) => (i === 0 ? null : Math.log(b.close / bars[i - 1].close)));
  const dmk: Array<bigint | null> = bars.map((b, i) =>
    i === 0 ? null : BigInt(Math.round(b.close * 1e8)) - BigInt(Math.round(bars[i - 1].close * 1e8)),
  );
  // Abdi-Ranaldo and Corwin-Schultz two-bar terms ending at bar i
  const eta = bars.map((b) => (Math.log(b.high) + Math.log(b.low)) / 2);
  const ar: Num[] = bars.map((_b, i) => {
    if (i === 0) return null;
    const c1 = Math.log(bars[i - 1].close);
    return 4 * (c1 - eta[i - 1]) * (c1 - eta[i]);
  });
  const cs: Num[] = bars.map((b, i) => {
    if (i === 0) return null;
    const p = bars[i - 1];
    const beta = Math.log(b.high / b.low) ** 2 + Math.log(p.high / p.low) ** 2;
    const gamma = Math.log(Math.max(b.high, p.high) / Math.min(b.low, p.low)) ** 2;
    const alpha = (Math.sqrt(2 * beta) - Math.sqrt(beta)) / K - Math.sqrt(gamma / K);
    return Math.max(0, (2 * (Math.exp(alpha) - 1)) / (1 + Math.exp(alpha)));
  });

  return bars.map((b, t) => {
    const row: Row = {};
    const st = s[t];
    const mid = b.ask_close === null || b.bid_close === null ? null : (b.ask_close + b.bid_close) / 2;
    row.spread = st;
    row.spread_pct = st === null || mid === null || mid === 0 ? null : (100 * st) / mid;
    row.spread_pips = st === null ? null : st / pip;
    const zOf = (W: number): Num => {
      const w = win(s, t, W);
      return w === null || flat(w) ? null : ((st as number) - mean(w)) / Math.sqrt(pvar(w));
    };
    for (const W of [20, 60]) {
      const w = win(s, t, W);
      const names = ['mean', 'std', 'z', 'min', 'max', 'range', 'pctile', 'trend'];
      if (w === null) {
        for (const n of names) row[`spread_${n}_${W}`] = null;
        continue;
      }
      const m = mean(w);
      row[`spread_mean_${W}`] = m;
      row[`spread_std_${W}`] = flat(w) ? 0 : Math.sqrt(pvar(w));
      row[`spread_z_${W}`] = zOf(W);
      row[`spread_min_${W}`] = Math.min(...w);
      row[`spread_max_${W}`] = Math.max(...w);
      row[`spread_range_${W}`] = Math.max(...w) - Math.min(...w);
      row[`spread_pctile_${W}`] = w.filter((x) => x <= (st as number)).length / W;
      const km = (W - 1) / 2;
      let num = 0,
        den = 0;
      for (let k = 0; k < W; k++) {
        num += (k - km) * (w[k] - m);
        den += (k - km) ** 2;
      }
      row[`spread_trend_${W}`] = flat(w) ? 0 : num / den;
    }
    const prev = t >= 1 ? s[t - 1] : null;
    row.spread_change_1 = st === null || prev === null ? null : st - prev;
    row.spread_change_5 = st === null || t < 5 || s[t - 5] === null ? null : st - (s[t - 5] as number);
    row.spread_change_pct_1 = st === null || prev === null || prev === 0 ? null : (st - prev) / prev;
    row.spread_open_close = st === null || b.ask_open === null || b.bid_open === null ? null : st - grid(b.ask_open - b.bid_open);
    // z > 2 and z < -1, decided exactly: spreads on the grid are integers k, and on discrete data z lands on
    // the thresholds themselves (z = 2.000000000000003 in floating point is exactly 2)
    const z60 = zOf(60);
    const k60 = win(s, t, 60)?.map((x) => BigInt(Math.round(x * 1e8)));
    let spike: Num = null;
    let compression: Num = null;
    if (z60 !== null && k60) {
      const sum = k60.reduce((a, x) => a + x, 0n);
      const d = 60n * k60[59] - sum;
      const v = 60n * k60.reduce((a, x) => a + x * x, 0n) - sum * sum;
      spike = d > 0n && d * d > 4n * v ? 1 : 0;
      compression = d < 0n && d * d > v ? 1 : 0;
    }
    row.spread_spike = spike;
    row.spread_compression = compression;
    const w240 = win(s, t, 240);
    const w20 = win(s, t, 20);
    row.spread_regime = w240 === null || w20 === null || mean(w240) === 0 ? null : mean(w20) / mean(w240);
    row.spread_rel_20 = w20 === null || mean(w20) === 0 ? null : (st as number) / mean(w20);
    const w60 = win(s, t, 60);
    row.spread_skew_60 = w60 === null || flat(w60) ? null : w60.reduce((a, x) => a + (x - mean(w60)) ** 3, 0) / 60 / pvar(w60) ** 1.5;
    // Roll: pairs (dm_i, dm_i-1), i = t-59..t. Mid closes sit on the 1e-8 grid, so in grid units the
    // changes are integers and 60^2 * cov is an exact integer: its sign decides NULL (cov >= 0), with no
    // rounding either way, and the value is that integer rounded once.
    const d = win(dmk, t, 60);
    const dl = t >= 1 ? win(dmk, t - 1, 60) : null;
    if (d === null || dl === null) row.roll_cost_60 = null;
    else {
      let sd = 0n,
        sl = 0n,
        sp = 0n;
      for (let k = 0; k < 60; k++) {
        sd += d[k];
        sl += dl[k];
        sp += d[k] * dl[k];
      }
      const c60 = 60n * sp - sd * sl;
      row.roll_cost_60 = c60 < 0n ? (2 * Math.sqrt(Number(-c60))) / 6e9 / b.close : null;
    }
    const a = win(ar, t, 20);
    row.effective_spread_20 = a === null ? null : Math.sqrt(Math.max(0, mean(a)));
    const c = win(cs, t, 20);
    row.corwin_schultz_20 = c === null ? null : mean(c);
    for (const W of [20, 60]) {
      const r = win(rm, t, W);
      row[`mid_volatility_${W}`] = r === null ? null : flat(r) ? 0 : Math.sqrt(pvar(r));
    }
    const vw = win(v, t, 60);
    row.spread_volume_corr_60 = w60 === null || vw === null ? null : corr(w60, vw);
    const rw = win(rm, t, 60);
    row.spread_return_corr_60 = w60 === null || rw === null ? null : corr(w60, rw.map(Math.abs));
    return row;
  });
}
