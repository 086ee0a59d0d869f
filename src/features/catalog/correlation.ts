import { CURRENCIES, type Currency, PAIRS, type PairInfo } from '../pairs.ts';
import { CARRY_MINUTES } from './currencyStrength.ts';
import { type ColumnDef, col, type FamilyDef } from './types.ts';

/** The rolling windows of correlation_features, in grid minutes (rows of the cross-section). */
export const CORR_WINDOWS = [30, 60, 240] as const;

/** The 12 pairs sharing a currency with `pair`, in pair order, with their orientation and shared side. */
export function peersOf(pair: string): Array<{ pair: string; sign: 1 | -1; sharesBase: boolean }> {
  const p = PAIRS.find((x) => x.pair === pair)!;
  return PAIRS.filter((q) => q.pair !== p.pair && [q.base, q.quote].some((c) => c === p.base || c === p.quote)).map((q) => ({
    pair: q.pair,
    // +1 when the shared currency sits on the same side in both pairs (their returns then move together)
    sign: q.base === p.base || q.quote === p.quote ? 1 : -1,
    sharesBase: q.base === p.base || q.quote === p.base,
  }));
}

/** The vehicle currency of the triangular residual: USD, or EUR for the USD pairs (GBP for eurusd). */
export function crossCurrency(p: PairInfo): Currency {
  const has = (c: Currency) => p.base === c || p.quote === c;
  return !has('usd') ? 'usd' : !has('eur') ? 'eur' : 'gbp';
}

/** The pair quoting currencies a and b, and s with ln(a/b) = s * ln(close). */
export function leg(a: Currency, b: Currency): { pair: string; sign: 1 | -1 } {
  const q = PAIRS.find((x) => (x.base === a && x.quote === b) || (x.base === b && x.quote === a))!;
  return { pair: q.pair, sign: q.base === a ? 1 : -1 };
}

const conv = `windows count grid minutes (rows of bqx.cross_returns) ending at the bar, its own minute included; r = the pair's aligned 1-minute log return (cross_returns.ret_<pair>), x_c = currency_strength.strength_ret of currency c; a price at a grid minute is the close of the pair's last bar at or before it, at most ${CARRY_MINUTES} minutes old (never a later bar); correlation = Pearson, beta = cov(r, x) / var(x), both over the window's rows`;
// NULL as the data decides (a pair without a price leaves its currency without a strength, its peers
// without a return), so `bqx verify` does not hold these to the warm-up's missing-share limit (nullClass)
const full = (W: number, what: string) =>
  `NULL when any of the ${W} grid minutes of the window lacks r or ${what} (a pair without a price within ${CARRY_MINUTES} minutes: a currency with one has no strength), or when a variance is 0; so NULL until ${W} grid minutes exist`;
const triFull = (W: number, extra = '') =>
  `NULL when tri_resid is NULL at any of the ${W} grid minutes of the window (the pair or a leg without a price)${extra}; so NULL until ${W} grid minutes exist`;
const peers =
  'the 12 pairs sharing a currency with the pair; rho_k = o_k * corr_W(r, r_k), o_k = +1 when the shared currency is on the same side of both pairs (base of both or quote of both), -1 otherwise';
const triConv =
  'tri_resid = ln(close) - (ln(base/K) - ln(quote/K)), K = USD, or EUR for the pairs with USD (GBP for eurusd), each leg the aligned close of the pair quoting the two currencies (inverted where K is its base)';

const peerRule = (W: number, which = 'the 12') =>
  `over those of ${which} peers whose rho_k is not NULL (each needs all ${W} grid minutes of r and r_k); NULL when none has one`;

const windowColumns = (W: number): ColumnDef[] => [
  col(`corr_base_${W}`, 'rate', W, `corr over ${W} grid minutes of r and x_base (the base currency's strength return)`, {
    convention: conv,
    nullRule: full(W, 'x_base'),
  }),
  col(`corr_quote_${W}`, 'rate', W, `corr over ${W} grid minutes of r and x_quote`, { convention: conv, nullRule: full(W, 'x_quote') }),
  col(`beta_base_${W}`, 'rate', W, `cov(r, x_base) / var(x_base) over ${W} grid minutes`, {
    convention: conv,
    nullRule: full(W, 'x_base'),
  }),
  col(`beta_quote_${W}`, 'rate', W, `cov(r, x_quote) / var(x_quote) over ${W} grid minutes`, {
    convention: conv,
    nullRule: full(W, 'x_quote'),
  }),
  ...CURRENCIES.map((c) =>
    col(`corr_${c}_${W}`, 'rate', W, `corr over ${W} grid minutes of r and x_${c} (${c.toUpperCase()}'s strength return)`, {
      convention: conv,
      nullRule: full(W, `x_${c}`),
    }),
  ),
  ...CURRENCIES.map((c) =>
    col(`beta_${c}_${W}`, 'rate', W, `cov(r, x_${c}) / var(x_${c}) over ${W} grid minutes`, {
      convention: conv,
      nullRule: full(W, `x_${c}`),
    }),
  ),
  col(`peer_corr_mean_${W}`, 'rate', W, `mean of rho_k over the 12 peers (${peers})`, {
    convention: conv,
    nullRule: peerRule(W),
  }),
  col(`peer_corr_max_${W}`, 'rate', W, 'max of rho_k over the 12 peers', { convention: conv, nullRule: peerRule(W) }),
  col(`peer_corr_min_${W}`, 'rate', W, 'min of rho_k over the 12 peers', { convention: conv, nullRule: peerRule(W) }),
  col(`peer_corr_std_${W}`, 'rate', W, 'population standard deviation of rho_k over the 12 peers: their dispersion', {
    convention: conv,
    nullRule: peerRule(W),
  }),
  col(`peer_base_corr_mean_${W}`, 'rate', W, 'mean of rho_k over the 6 peers sharing the base currency', {
    convention: conv,
    nullRule: peerRule(W, 'those 6'),
  }),
  col(`peer_quote_corr_mean_${W}`, 'rate', W, 'mean of rho_k over the 6 peers sharing the quote currency', {
    convention: conv,
    nullRule: peerRule(W, 'those 6'),
  }),
  col(`tri_mean_${W}`, 'rate', W, `mean of tri_resid over ${W} grid minutes`, {
    convention: triConv,
    nullRule: triFull(W),
  }),
  col(`tri_std_${W}`, 'rate', W, `population standard deviation of tri_resid over ${W} grid minutes`, {
    convention: triConv,
    nullRule: triFull(W),
  }),
  col(`tri_z_${W}`, 'rate', W, `(tri_resid - tri_mean_${W}) / tri_std_${W}`, {
    convention: triConv,
    nullRule: triFull(W, `, or when tri_std_${W} = 0`),
  }),
];

// Not laggable by default: spec section 7's default lag set is bollinger, statistics, volume and spread
// (139 columns); a dataset can still lag these by choosing its lag families.
const columns: ColumnDef[] = [
  ...CORR_WINDOWS.flatMap(windowColumns),
  col('tri_resid', 'rate', null, 'the log gap between the pair and its implied cross through K (see convention)', {
    convention: triConv,
    nullRule: 'NULL when the pair or either leg has no price at the minute',
  }),
  col('tri_resid_d1', 'rate', 2, 'tri_resid(m) - tri_resid(previous grid minute)', {
    convention: triConv,
    nullRule: 'NULL when tri_resid is NULL at either minute',
  }),
  col('peers_live', 'rate', null, `how many of the 12 peers have a price at the minute (a bar within the last ${CARRY_MINUTES} minutes)`, {
    convention: conv,
    nullRule: 'never NULL when the cross-section has the minute',
  }),
];

/**
 * Cross-pair correlation features (spec section 11, Wave 3): 90 columns, the same for every pair, on
 * the pair's own bars. A pair reads its own bqx.m1 (which rows) and the cross-section (bqx.cross_returns,
 * bqx.currency_strength) at grid minutes at or before the bar only, never another pair's tables.
 */
export const correlationFeatures: FamilyDef = {
  family: 'correlation_features',
  kind: 'sql',
  description:
    'Correlations and betas against the currency strengths, peer summaries and the triangular residual (30, 60, 240 grid minutes)',
  dependsOn: ['m1', 'currency_strength', 'cross_returns'],
  lookbackBars: Math.max(...CORR_WINDOWS),
  countsAsFeature: true,
  columns,
};
