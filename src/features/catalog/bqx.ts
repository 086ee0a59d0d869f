import { type ColumnDef, col, type FamilyDef } from './types.ts';

export const BQX_WINDOWS = [15, 30, 45, 60, 75] as const;

function windowCols(w: number): ColumnDef[] {
  const past = `P_${w} = I(t-${w})..I(t-1)`;
  return [
    col(`w${w}_bqx_return`, 'bqx', w, `${w} * (mean(P_${w}) - I(t)) / I(t), ${past}`, {
      nullRule: `NULL until ${w} bars precede t; NULL when I(t) = 0`,
    }),
    col(`w${w}_bqx_max_index`, 'bqx', w, `max(P_${w})`),
    col(`w${w}_bqx_min_index`, 'bqx', w, `min(P_${w})`),
    col(`w${w}_bqx_avg_index`, 'bqx', w, `mean(P_${w})`),
    col(`w${w}_bqx_stdev_index`, 'bqx', w, `sample std (n-1) of P_${w}`, {
      nullRule: `NULL until ${w} bars precede t; exactly 0 when the window is flat`,
    }),
    col(`w${w}_bqx_endpoint`, 'bqx', w, `(I(t-${w}) - I(t)) / I(t)`),
  ];
}

/** BQX momentum (spec section 3): 5 windows x 6 + 7 aggregates over P_75 = 37 columns. */
export const bqx: FamilyDef = {
  family: 'bqx',
  kind: 'sql',
  description: 'BQX momentum of the rate index over the W bars before t',
  dependsOn: ['m1'],
  lookbackBars: 75,
  countsAsFeature: false,
  columns: [
    ...BQX_WINDOWS.flatMap(windowCols),
    col('agg_bqx_return', 'bqx', 75, 'w75_bqx_return'),
    col('agg_bqx_max_index', 'bqx', 75, 'max(P_75)'),
    col('agg_bqx_min_index', 'bqx', 75, 'min(P_75)'),
    col('agg_bqx_avg_index', 'bqx', 75, 'mean(P_75)'),
    col('agg_bqx_stdev_index', 'bqx', 75, 'sample std (n-1) of P_75'),
    col('agg_bqx_range', 'bqx', 75, '(max(P_75) - min(P_75)) / I(t)'),
    col('agg_bqx_volatility', 'bqx', 75, 'sample std of P_75 / I(t)'),
  ],
};
