import { col, type ColumnDef, type FamilyDef } from './types.ts';

const TALIB = 'TA-Lib lookback and seeding';

function technicalColumns(domain: 'rate' | 'bqx'): ColumnDef[] {
  const c = (name: string, window: number | null, formula: string, nullRule?: string, convention = TALIB) =>
    col(name, domain, window, formula, { convention, ...(nullRule ? { nullRule } : {}) });
  const flat = 'NULL on a flat window (TA-Lib returns a constant there)';
  return [
    c('rsi_14', 14, 'Wilder RSI, alpha = 1/14, full precision', flat),
    c('rsi_21', 21, 'Wilder RSI, alpha = 1/21, full precision', flat),
    c('macd_line', 34, 'EMA_12 - EMA_26 of close (first value at bar 33)'),
    c('macd_signal', 34, 'EMA_9 of macd_line'),
    c('macd_histogram', 34, 'macd_line - macd_signal'),
    c('stoch_k_14', 14, '100 * (C - LL_14) / (HH_14 - LL_14) (fast %K, first at bar 13)', flat),
    c('stoch_d_3', 16, 'SMA_3 of stoch_k_14', flat),
    c('adx_14', 28, 'Wilder ADX (first at bar 27), holds its previous value on a flat stretch'),
    c('plus_di_14', 15, '100 * Wilder(+DM) / Wilder(TR)', flat),
    c('minus_di_14', 15, '100 * Wilder(-DM) / Wilder(TR)', flat),
    c('cci_20', 20, '(TP - SMA_20(TP)) / (0.015 * mean deviation), TP = (H + L + C) / 3', flat),
    c('williams_r_14', 14, '-100 * (HH_14 - C) / (HH_14 - LL_14)', flat),
    domain === 'rate'
      ? c('roc_12', 13, '100 * (C(t) - C(t-12)) / C(t-12)')
      : c('roc_12', 13, 'x(t) - x(t-12): a difference, since x is zero-centred (spec section 9)'),
    c('atr_14', 15, 'Wilder ATR of the true range'),
    domain === 'rate'
      ? c('atr_pct_14', 15, '100 * ATR_14 / C(t)')
      : c('atr_pct_14', 15, '100 * ATR_14 / mean(|x(t-13)| .. |x(t)|)', 'NULL when all 14 |x| are 0'),
    c('ema_10', 10, 'EMA alpha = 2/11, seeded with SMA_10'),
    c('ema_20', 20, 'EMA alpha = 2/21, seeded with SMA_20'),
    c('ema_50', 50, 'EMA alpha = 2/51, seeded with SMA_50'),
    c('sma_10', 10, 'SMA_10 of close'),
    c('sma_20', 20, 'SMA_20 of close'),
    c('sma_50', 50, 'SMA_50 of close'),
    c('momentum_10', 11, 'C(t) - C(t-10)'),
    c('trix_15', 45, '1-bar rate of change (x100) of the triple EMA_15 of close', 'NULL when the previous triple EMA is 0'),
    c('keltner_upper_20', 20, 'EMA_20(TP) + 2 * ATR_20 (Wilder)'),
    c('keltner_lower_20', 20, 'EMA_20(TP) - 2 * ATR_20 (Wilder)'),
    c('donchian_upper_20', 20, 'HH_20, the highest high of the 20 bars ending at t'),
    c('donchian_lower_20', 20, 'LL_20, the lowest low of the 20 bars ending at t'),
    c('mfi_14', 15, 'money flow index of TP weighted by tick volume', 'NULL when no money flow in the window'),
    c('obv', null, 'on-balance volume: cumulative signed tick volume from the first bar', 'never NULL; its level depends on the series start, use differences'),
    c('awesome_oscillator', 34, 'SMA_5 - SMA_34 of the median price (H + L) / 2'),
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
