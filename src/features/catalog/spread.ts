import { type ColumnDef, col, type FamilyDef } from './types.ts';

const BIDASK = 'NULL where the source has no bid/ask';

function spreadColumns(): ColumnDef[] {
  const c = (name: string, window: number | null, formula: string, nullRule = BIDASK, sparse = false) =>
    col(name, 'spread', window, formula, {
      laggable: true,
      sparse,
      nullRule: window ? `NULL until ${window} bars exist; ${nullRule}` : nullRule,
    });
  const rolling = [20, 60].flatMap((w) => [
    c(`spread_mean_${w}`, w, `mean of s over the ${w} bars ending at t`),
    c(`spread_std_${w}`, w, 'population std of s'),
    c(`spread_z_${w}`, w, '(s - mean) / std', `${BIDASK}; NULL when the window is flat`),
    c(`spread_min_${w}`, w, 'min of s'),
    c(`spread_max_${w}`, w, 'max of s'),
    c(`spread_range_${w}`, w, 'max - min of s'),
    c(`spread_pctile_${w}`, w, 'share of the window with s_i <= s(t), in (0, 1]'),
    c(`spread_trend_${w}`, w, 'OLS slope of s on k = 0..W-1, in price units per bar'),
  ]);
  return [
    c('spread', null, 's = ask_close - bid_close, rounded to a 1e-8 price grid (removes floating-point noise of the subtraction)'),
    c('spread_pct', null, '100 * s / mid, mid = (ask_close + bid_close) / 2'),
    c('spread_pips', null, 's / pip size of the pair'),
    ...rolling,
    c('spread_change_1', 2, 's(t) - s(t-1)'),
    c('spread_change_5', 6, 's(t) - s(t-5)'),
    c('spread_change_pct_1', 2, '(s(t) - s(t-1)) / s(t-1)', `${BIDASK}; NULL when s(t-1) = 0`),
    c('spread_open_close', null, 'intrabar spread change: s - (ask_open - bid_open), both on the 1e-8 grid'),
    c('spread_spike', 60, '1 when spread_z_60 > 2, else 0', `${BIDASK}; NULL when the window is flat`),
    c('spread_compression', 60, '1 when spread_z_60 < -1, else 0', `${BIDASK}; NULL when the window is flat`),
    c('spread_regime', 240, 'spread_mean_20 / mean of s over 240 bars (> 1: a widening regime)', `${BIDASK}; NULL when the long mean is 0`),
    c('spread_rel_20', 20, 's / spread_mean_20', `${BIDASK}; NULL when the mean is 0`),
    c('spread_skew_60', 60, 'population skewness of s over 60 bars', `${BIDASK}; NULL when the window is flat`),
    c(
      'roll_cost_60',
      62,
      "Roll's estimator 2 * sqrt(-cov(dm_i, dm_i-1)) / close(t), population covariance over the 60 pairs i = t-59..t, dm = change of the mid close",
      'NULL when the autocovariance is >= 0 or dm is constant over the window',
      true,
    ), // Roll's model has no cost when the autocovariance is positive: about half the bars
    c(
      'effective_spread_20',
      21,
      'Abdi-Ranaldo: sqrt(max(0, mean of 4 (c_i-1 - eta_i-1)(c_i-1 - eta_i) over i = t-19..t)), eta = (ln H + ln L) / 2, c = ln close (mid)',
      'mid prices only: needs no bid/ask',
    ),
    c(
      'corwin_schultz_20',
      21,
      'Corwin-Schultz high-low spread estimator on mid H/L: per two-bar estimate S = 2(e^a - 1)/(1 + e^a), a = (sqrt(2b) - sqrt(b))/(3 - 2 sqrt 2) - sqrt(g/(3 - 2 sqrt 2)), b = ln(H_t/L_t)^2 + ln(H_t-1/L_t-1)^2, g = ln(max H / min L over both)^2; negative estimates set to 0; mean of the 20 estimates ending at t',
      'mid prices only: needs no bid/ask',
    ),
    c(
      'mid_volatility_20',
      21,
      'population std of log mid-close returns ln(close_i / close_i-1) over the 20 bars ending at t',
      '0 when they are constant',
    ),
    c('mid_volatility_60', 61, 'population std of log mid-close returns over the 60 bars ending at t', '0 when they are constant'),
    c('spread_volume_corr_60', 60, 'Pearson correlation of s and tick volume over 60 bars', `${BIDASK}; NULL when either side is flat`),
    c(
      'spread_return_corr_60',
      61,
      'Pearson correlation of s and |log mid return| over 60 bars',
      `${BIDASK}; NULL when either side is flat`,
    ),
  ];
}

export const spreadFeatures: FamilyDef = {
  family: 'spread_features',
  kind: 'sql',
  description: 'Bid/ask spread level, dispersion, regime and microstructure estimators',
  dependsOn: ['m1'],
  lookbackBars: 240,
  countsAsFeature: true,
  columns: spreadColumns(),
};
