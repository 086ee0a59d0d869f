/**
 * cross_returns and correlation_features as plain loops (catalog: src/features/catalog/crossReturns.ts,
 * src/features/catalog/correlation.ts): the grid is the sorted union of every pair's bar minutes; at
 * each grid minute a pair's price is its last bar at or before it, if at most CARRY_MINUTES old; returns
 * are differences of ln(price) between consecutive grid minutes; windows count grid rows and are
 * computed two-pass (means, then centred sums) over exactly their W rows.
 */
import { CORR_WINDOWS, crossCurrency, leg, peersOf } from '../../../src/features/catalog/correlation.ts';
import { CARRY_MINUTES } from '../../../src/features/catalog/currencyStrength.ts';
import { CURRENCIES, PAIRS, pairInfo } from '../../../src/features/pairs.ts';
import type { Row } from './bqxReference.ts';
import type { CloseBar } from './currencyStrengthReference.ts';

export interface CrossSection {
  grid: number[];
  price: Map<string, Array<number | null>>;
  ret: Map<string, Array<number | null>>;
}

export function crossSectionReference(bars: CloseBar[]): CrossSection {
  const byPair = new Map<string, CloseBar[]>(PAIRS.map((p) => [p.pair, []]));
  for (const b of bars) byPair.get(b.pair)!.push(b);
  for (const list of byPair.values()) list.sort((a, b) => a.ts - b.ts);
  const grid = [...new Set(bars.map((b) => b.ts))].sort((a, b) => a - b);
  const price = new Map<string, Array<number | null>>();
  const ret = new Map<string, Array<number | null>>();
  for (const [pair, list] of byPair) {
    const pr: Array<number | null> = [];
    let i = -1;
    for (const m of grid) {
      while (i + 1 < list.length && list[i + 1].ts <= m) i++;
      const last = i >= 0 ? list[i] : null;
      pr.push(last && m - last.ts <= CARRY_MINUTES * 60_000 ? last.close : null);
    }
    price.set(pair, pr);
    ret.set(
      pair,
      pr.map((x, g) => (g > 0 && x !== null && pr[g - 1] !== null ? Math.log(x) - Math.log(pr[g - 1]!) : null)),
    );
  }
  return { grid, price, ret };
}

/** bqx.cross_returns rows: ts and ret_<pair>, close_<pair> for the 28 pairs. */
export function crossReturnsRows(cs: CrossSection): Array<Row & { ts: number }> {
  return cs.grid.map((ts, g) => {
    const row: Row & { ts: number } = { ts };
    for (const p of PAIRS) row[`ret_${p.pair}`] = cs.ret.get(p.pair)![g];
    for (const p of PAIRS) row[`close_${p.pair}`] = cs.price.get(p.pair)![g];
    return row;
  });
}

type Series = Array<number | null>;

/** Pearson correlation and slope of y on x over rows [g - W + 1, g], or nulls when a row lacks either. */
function corrBeta(y: Series, x: Series, g: number, W: number): { corr: number | null; beta: number | null } {
  if (g - W + 1 < 0) return { corr: null, beta: null };
  let sy = 0;
  let sx = 0;
  for (let k = g - W + 1; k <= g; k++) {
    if (y[k] === null || x[k] === null) return { corr: null, beta: null };
    sy += y[k]!;
    sx += x[k]!;
  }
  const my = sy / W;
  const mx = sx / W;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = g - W + 1; k <= g; k++) {
    const dx = x[k]! - mx;
    const dy = y[k]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return { corr: sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy), beta: sxx === 0 ? null : sxy / sxx };
}

function meanStd(v: number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}

/**
 * correlation_features of `pair` at each of its bars (ts in `barTs`), from the cross-section and the 8
 * currencies' strength_ret series on the same grid (strength: currency -> grid-aligned values). Each row
 * also carries `lnScale`, the sum of |ln price| of the pair and its two legs (what the residual's rounding scales with).
 */
export function correlationReference(
  pair: string,
  barTs: number[],
  cs: CrossSection,
  strength: Map<string, Series>,
): Array<Row & { ts: number; lnScale: number }> {
  const p = pairInfo(pair);
  const k = crossCurrency(p);
  const lx = leg(p.base, k);
  const ly = leg(p.quote, k);
  const peers = peersOf(pair);
  const r = cs.ret.get(pair)!;
  const own = cs.price.get(pair)!;
  const px = cs.price.get(lx.pair)!;
  const py = cs.price.get(ly.pair)!;
  const tri: Series = cs.grid.map((_, g) =>
    own[g] === null || px[g] === null || py[g] === null
      ? null
      : Math.log(own[g]!) - (lx.sign * Math.log(px[g]!) - ly.sign * Math.log(py[g]!)),
  );
  const index = new Map(cs.grid.map((ts, g) => [ts, g]));
  return barTs.map((ts) => {
    const g = index.get(ts)!;
    const row: Row & { ts: number; lnScale: number } = {
      ts,
      lnScale: [own[g], px[g], py[g]].reduce<number>((a, x) => a + (x === null ? 0 : Math.abs(Math.log(x))), 0),
    };
    for (const W of CORR_WINDOWS) {
      const byCcy = new Map(CURRENCIES.map((c) => [c, corrBeta(r, strength.get(c)!, g, W)]));
      row[`corr_base_${W}`] = byCcy.get(p.base)!.corr;
      row[`corr_quote_${W}`] = byCcy.get(p.quote)!.corr;
      row[`beta_base_${W}`] = byCcy.get(p.base)!.beta;
      row[`beta_quote_${W}`] = byCcy.get(p.quote)!.beta;
      for (const c of CURRENCIES) row[`corr_${c}_${W}`] = byCcy.get(c)!.corr;
      for (const c of CURRENCIES) row[`beta_${c}_${W}`] = byCcy.get(c)!.beta;
      const rho = peers.map((q) => {
        const cb = corrBeta(r, cs.ret.get(q.pair)!, g, W).corr;
        return { v: cb === null ? null : q.sign * cb, sharesBase: q.sharesBase };
      });
      const all = rho.filter((x) => x.v !== null).map((x) => x.v!);
      const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);
      row[`peer_corr_mean_${W}`] = mean(all);
      row[`peer_corr_max_${W}`] = all.length ? Math.max(...all) : null;
      row[`peer_corr_min_${W}`] = all.length ? Math.min(...all) : null;
      row[`peer_corr_std_${W}`] = all.length ? meanStd(all).std : null;
      row[`peer_base_corr_mean_${W}`] = mean(rho.filter((x) => x.v !== null && x.sharesBase).map((x) => x.v!));
      row[`peer_quote_corr_mean_${W}`] = mean(rho.filter((x) => x.v !== null && !x.sharesBase).map((x) => x.v!));
      const win = g - W + 1 >= 0 ? tri.slice(g - W + 1, g + 1) : [];
      const ok = win.length === W && win.every((x) => x !== null);
      const ms = ok ? meanStd(win as number[]) : null;
      row[`tri_mean_${W}`] = ms ? ms.mean : null;
      row[`tri_std_${W}`] = ms ? ms.std : null;
      row[`tri_z_${W}`] = ms && ms.std !== 0 ? (tri[g]! - ms.mean) / ms.std : null;
    }
    row.tri_resid = tri[g];
    row.tri_resid_d1 = g > 0 && tri[g] !== null && tri[g - 1] !== null ? tri[g]! - tri[g - 1]! : null;
    row.peers_live = peers.filter((q) => cs.price.get(q.pair)![g] !== null).length;
    return row;
  });
}
