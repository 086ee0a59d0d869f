import { type ColumnDef, col, type FamilyDef } from './types.ts';

const TALIB = 'TA-Lib lookback and seeding; computed in bqx-store';
/** Why an indicator is not taken from technicalindicators (its SMA is, for the three SMAs and AO). */
const WHY = {
  rsi: `${TALIB}: technicalindicators rounds RSI to 2 decimals`,
  ema: `${TALIB}: technicalindicators skips an EMA seed of exactly 0, which zero-centred BQX hits`,
  macd: `${TALIB}: TA-Lib seeds the fast EMA at bar 25 (on bars 14..25), technicalindicators at bar 11`,
  adx: `${TALIB}: TA-Lib's DM/TR sums and hold-previous ADX differ from technicalindicators' seeding`,
  mfi: `${TALIB}: technicalindicators rounds MFI to 2 decimals`,
  flat: `${TALIB}: technicalindicators divides by a zero range on flat windows (NaN/Infinity)`,
  lib: 'technicalindicators SMA (exact, fed bar by bar through nextValue); TA-Lib lookback',
};

function technicalColumns(domain: 'rate' | 'bqx'): ColumnDef[] {
  const c = (name: string, window: number | null, formula: string, nullRule?: string, convention = TALIB) =>
    col(name, domain, window, formula, { convention, ...(nullRule ? { nullRule } : {}) });
  const flat = 'NULL on a flat window (TA-Lib returns a constant there)';
  const wilderZero =
    'NULL while the Wilder-smoothed denominator is 0 (a series flat since its start; TA-Lib returns 0); after a move it decays but never vanishes, so a flat stretch holds the last ratio';
  return [
    c('rsi_14', 15, 'Wilder RSI, alpha = 1/14, full precision (first at bar 14)', wilderZero, WHY.rsi),
    c('rsi_21', 22, 'Wilder RSI, alpha = 1/21, full precision (first at bar 21)', wilderZero, WHY.rsi),
    c('macd_line', 34, 'EMA_12 - EMA_26 of close (first value at bar 33)', undefined, WHY.macd),
    c('macd_signal', 34, 'EMA_9 of macd_line, seeded with the SMA of macd_line over bars 25..33', undefined, WHY.macd),
    c('macd_histogram', 34, 'macd_line - macd_signal', undefined, WHY.macd),
    c('stoch_k_14', 14, '100 * (C - LL_14) / (HH_14 - LL_14) (fast %K, first at bar 13)', flat, WHY.flat),
    c('stoch_d_3', 16, 'SMA_3 of stoch_k_14', 'NULL when any of its 3 %K is NULL', WHY.flat),
    c('adx_14', 28, 'Wilder ADX (first at bar 27), holds its previous value on a flat stretch', undefined, WHY.adx),
    c('plus_di_14', 15, '100 * Wilder(+DM) / Wilder(TR)', wilderZero, WHY.adx),
    c('minus_di_14', 15, '100 * Wilder(-DM) / Wilder(TR)', wilderZero, WHY.adx),
    c('cci_20', 20, '(TP - SMA_20(TP)) / (0.015 * mean deviation), TP = (H + L + C) / 3', flat, WHY.flat),
    c('williams_r_14', 14, '-100 * (HH_14 - C) / (HH_14 - LL_14)', flat, WHY.flat),
    domain === 'rate'
      ? c('roc_12', 13, '100 * (C(t) - C(t-12)) / C(t-12)')
      : c('roc_12', 13, 'x(t) - x(t-12): a difference, since x is zero-centred (spec section 9)'),
    c('atr_14', 15, 'Wilder ATR of the true range'),
    domain === 'rate'
      ? c('atr_pct_14', 15, '100 * ATR_14 / C(t)')
      : c('atr_pct_14', 15, '100 * ATR_14 / mean(|x(t-13)| .. |x(t)|)', 'NULL when all 14 |x| are 0'),
    c('ema_10', 10, 'EMA alpha = 2/11, seeded with SMA_10', undefined, WHY.ema),
    c('ema_20', 20, 'EMA alpha = 2/21, seeded with SMA_20', undefined, WHY.ema),
    c('ema_50', 50, 'EMA alpha = 2/51, seeded with SMA_50', undefined, WHY.ema),
    c('sma_10', 10, 'SMA_10 of close', undefined, WHY.lib),
    c('sma_20', 20, 'SMA_20 of close', undefined, WHY.lib),
    c('sma_50', 50, 'SMA_50 of close', undefined, WHY.lib),
    c('momentum_10', 11, 'C(t) - C(t-10)'),
    domain === 'rate'
      ? c(
          'trix_15',
          44,
          '1-bar rate of change (x100) of the triple EMA_15 of close (first at bar 43)',
          'NULL when the previous triple EMA is 0',
          WHY.ema,
        )
      : c('trix_15', 44, '1-bar change of the triple EMA_15 of x (a difference, as roc_12: x is zero-centred)', undefined, WHY.ema),
    c('keltner_upper_20', 21, 'EMA_20(TP) + 2 * ATR_20 (Wilder; first at bar 20)', undefined, WHY.ema),
    c('keltner_lower_20', 21, 'EMA_20(TP) - 2 * ATR_20 (Wilder; first at bar 20)', undefined, WHY.ema),
    c('donchian_upper_20', 20, 'HH_20, the highest high of the 20 bars ending at t'),
    c('donchian_lower_20', 20, 'LL_20, the lowest low of the 20 bars ending at t'),
    domain === 'rate'
      ? c(
          'mfi_14',
          15,
          '100 * positive / (positive + negative) money flow over 14 bars, flow = TP * tick volume, signed by TP(t) vs TP(t-1)',
          'NULL when no money flow in the window or a bar lacks volume',
          WHY.mfi,
        )
      : c(
          'mfi_14',
          15,
          'as the rate domain with flow = tick volume (x is zero-centred: x * v has no sign meaning)',
          'NULL when no money flow in the window or a bar lacks volume',
          WHY.mfi,
        ),
    c(
      'obv',
      null,
      "on-balance volume: the first bar's volume, then + or - each bar's tick volume by the sign of its close change (TA-Lib)",
      'NULL on a bar without volume; the level counts from the series start (exact across incremental refreshes)',
      TALIB,
    ),
    c('awesome_oscillator', 34, 'SMA_5 - SMA_34 of the median price (H + L) / 2', undefined, WHY.lib),
  ];
}

function technical(domain: 'rate' | 'bqx'): FamilyDef {
  return {
    family: `technical_${domain}`,
    kind: 'ts',
    description:
      domain === 'rate'
        ? 'Technical indicators on H/L/C = high_index/low_index/rate_index, computed in TypeScript'
        : 'Technical indicators on H = L = C = w15_bqx_return, computed in TypeScript',
    dependsOn: domain === 'rate' ? ['m1'] : ['bqx', 'm1'],
    // Recursive smoothers (Wilder, EMA) converge geometrically: 2000 bars of warm-up bring the
    // difference to a full-history run far below 1e-9 relative (test/db/technical).
    lookbackBars: 2000,
    countsAsFeature: true,
    columns: technicalColumns(domain),
  };
}

export const technicalRate = technical('rate');
export const technicalBqx = technical('bqx');
