import { type ColumnDef, col, type FamilyDef } from './types.ts';

export const VOLUME_WINDOWS = [5, 15, 30, 60, 120] as const;

/**
 * 7 metrics x 5 windows per domain. dy = y(t) - y(t-1); "flat" = constant over the window, decided
 * exactly; means, standard deviations and correlations are population (ddof 0). Every metric reads the domain's series y (rate_index, or
 * w15_bqx_return) and the tick volume v, so the two domains carry different information; the two
 * metrics that would be pure volume (dispersion and trend of v) appear once, in the rate domain, and the
 * bqx domain carries the signed delta and the spike flag instead.
 */
function volumeColumns(domain: 'rate' | 'bqx'): ColumnDef[] {
  const y = domain === 'rate' ? 'I' : 'x';
  const p = domain === 'rate' ? 'rate' : 'bqx';
  return VOLUME_WINDOWS.flatMap((w) => {
    const c = (name: string, formula: string, nullRule?: string, sparse = false) =>
      col(`${p}_${name}_${w}`, domain, w, formula, {
        laggable: true,
        sparse,
        nullRule: `NULL until ${w + 1} bars of ${y === 'I' ? 'rate_index' : 'w15_bqx_return'} and ${w} of volume exist${nullRule ? `; ${nullRule}` : ''}`,
      });
    const shared = [
      domain === 'rate'
        ? c('vwap_dev', `(VWAP_${w} - I(t)) / I(t), VWAP = sum(v*I)/sum(v) over the ${w} bars ending at t`, 'NULL when sum(v) = 0')
        : c('vwap_dev', `sum(v*x)/sum(v) - x(t) over the ${w} bars ending at t`, 'NULL when sum(v) = 0'),
      c(
        'pv_corr',
        y === 'I'
          ? `Pearson correlation of |dI| and v over the ${w} bars ending at t; |dI| taken as |close change| on a 1e-8 price grid (equal up to the factor 100 / B, free of subtraction noise)`
          : `Pearson correlation of |dx| and v over the ${w} bars ending at t`,
        'NULL when either side is flat',
      ),
      c(
        'vm_div',
        `z(${y}) - z(v): price z-score minus volume z-score of bar t against the ${w} bars ending at t`,
        'NULL when either side is flat',
      ),
      c('updown_ratio', `sum(v | d${y} > 0) / sum(v | d${y} < 0) over the window`, 'NULL when no down-bar volume', true), // a short window without a down bar is common (about 3% at W = 5)
      c('imbalance', `(sum(v | d${y} > 0) - sum(v | d${y} < 0)) / sum(v), in [-1, 1]`, 'NULL when sum(v) = 0'),
    ];
    const own =
      domain === 'rate'
        ? [
            c('vol_cv', `volume volatility: population std(v) / mean(v) over the window`, 'NULL when mean(v) = 0'),
            c('vol_trend', 'OLS slope of v on k = 0..W-1 divided by mean(v) (per bar, relative)', 'NULL when mean(v) = 0'),
          ]
        : [
            c('signed_delta', `cumulative signed-volume delta: sum(sign(dx) * v) over the window`),
            col(`bqx_vol_spike_${w}`, domain, w + 1, `1 when v(t) > mean + 2 std (population) of v over the ${w} bars before t, else 0`, {
              laggable: true,
              nullRule: `NULL until ${w + 1} bars of volume exist; NULL when those ${w} bars are flat`,
            }),
          ];
    return [...shared, ...own];
  });
}

export const volumeFeatures: FamilyDef = {
  family: 'volume_features',
  kind: 'sql',
  description: 'Tick-volume features in the rate and bqx domains over 5, 15, 30, 60 and 120 bars',
  dependsOn: ['m1', 'bqx'],
  lookbackBars: 122,
  countsAsFeature: true,
  columns: [...volumeColumns('rate'), ...volumeColumns('bqx')],
};
