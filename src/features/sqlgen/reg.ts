/**
 * Generated SQL for reg_rate and reg_bqx (spec section 5): closed-form rolling quadratic least squares.
 *
 * Numerics (why this holds 1e-9 relative on rate_index): per window we need S0 = sum y, S1 = sum u y,
 * S2 = sum u^2 y and sum y^2 on the centred abscissa u = k - (W-1)/2. They come from block running sums
 * of d = y - a, rd and rrd (rolling.ts), so every sum is of small deviations over at most 2 x 128 rows,
 * never of global row numbers. With odd moments of u zero, the normal equations decouple:
 *   c1 = S1 / U2,  c2 = (W S2 - U2 S0) / (W U4 - U2^2),  c0 = (S0 - U2 c2) / W   (all in d-space)
 * with U2 = W(W^2-1)/12 and U4 = W(W^2-1)(3W^2-7)/240; then a2 = c2, a1 = c1 - 2 c2 h, b = c2 h^2 - c1 h + c0 + a
 * (h = (W-1)/2). SSres = sum d^2 - (c0 S0 + c1 S1 + c2 S2) by the OLS identity, clamped at 0. The residual
 * mean of a fit with an intercept is 0 exactly, and is stored as such. A flat window (max = min, detected
 * exactly) gives a2 = a1 = 0, b = prediction = y, zero residuals, r2 and fit_quality NULL.
 */

import { REG_WINDOWS, regBqx, regRate } from '../catalog/reg.ts';
import { ITEM } from './layout.ts';
import { refreshFunctionSql } from './refreshFunction.ts';
import {
  blockSumsSql,
  prevBlockItems,
  type SumSpec,
  sparseLevel,
  sparseTableSql,
  windowExtremeItems,
  windowLagItems,
  windowSumExprs,
} from './rolling.ts';
import { SERIES } from './sources.ts';

const SPEC: SumSpec = { sums: ['n', 'd', 'dd', 'rd', 'rrd'] };

const LEVELS = [...new Set(REG_WINDOWS.map((w) => sparseLevel(w.bars)))];
const LEVEL_COLS = LEVELS.flatMap((j) => [`mx_${j}`, `mn_${j}`]);

/** Stage 3: the window's sums in d-space on the centred abscissa, and its extremes. */
function sumItems(name: string, W: number): string[] {
  const e = windowSumExprs(W, SPEC);
  const c = `(rr - ${(W - 1) / 2})`;
  return [
    `${e.n} as n_${name}`,
    `${e.d} as t1_${name}`,
    `${e.dd} as t2_${name}`,
    `${e.rd} - ${c} * ${e.d} as su_${name}`,
    `${e.rrd} - 2 * ${c} * ${e.rd} + ${c} * ${c} * ${e.d} as su2_${name}`,
    `w${name}_max`,
    `w${name}_min`,
  ];
}

/** Stage 4: the centred coefficients (zero on a flat window) and the residual sum of squares. */
function coefItems(name: string, W: number): string[] {
  const U2 = (W * (W * W - 1)) / 12;
  const U4 = (W * (W * W - 1) * (3 * W * W - 7)) / 240;
  const den = W * U4 - U2 * U2;
  const flat = `w${name}_max = w${name}_min`;
  const c2 = `(${W} * su2_${name} - ${U2} * t1_${name}) / ${den}`;
  const c1 = `su_${name} / ${U2}`;
  return [
    `n_${name} = ${W} as ok_${name}`,
    `${flat} as flat_${name}`,
    `case when ${flat} then 0 else ${c2} end as c2_${name}`,
    `case when ${flat} then 0 else ${c1} end as c1_${name}`,
    `t1_${name}`,
    `t2_${name}`,
    `su_${name}`,
    `su2_${name}`,
    `greatest(abs(w${name}_max), abs(w${name}_min)) as maxabs_${name}`,
  ];
}

/** Stage 5: intercept (d-space), SSres, SStot. */
function fitItems(name: string, W: number): string[] {
  const U2 = (W * (W * W - 1)) / 12;
  const c0 = `(t1_${name} - ${U2} * c2_${name}) / ${W}`;
  return [
    `ok_${name}`,
    `flat_${name}`,
    `c2_${name}`,
    `c1_${name}`,
    `maxabs_${name}`,
    `case when flat_${name} then y - a else ${c0} end as c0_${name}`,
    // OLS identity SSres = sum d^2 - (c0 S0 + c1 S1 + c2 S2), clamped at 0; exactly 0 on a flat window
    `case when flat_${name} then 0 else greatest(t2_${name} - ((${c0}) * t1_${name} + c1_${name} * su_${name} + c2_${name} * su2_${name}), 0) end as ssres_${name}`,
    `t2_${name} - t1_${name} * t1_${name} / ${W} as sstot_${name}`,
  ];
}

/** Stage 6: raw-k coefficients, prediction and residual std. */
function rawItems(name: string, W: number): string[] {
  const h = (W - 1) / 2;
  return [
    `ok_${name}`,
    `flat_${name}`,
    `maxabs_${name}`,
    `ssres_${name}`,
    `sstot_${name}`,
    `c2_${name} as a2_${name}`,
    `c1_${name} - ${2 * h} * c2_${name} as a1_${name}`,
    `c2_${name} * ${h * h} - c1_${name} * ${h} + c0_${name} + a as b_${name}`,
    `c2_${name} * ${h * h} + c1_${name} * ${h} + c0_${name} + a as pred_${name}`,
    `sqrt(ssres_${name} / ${W}) as sd_${name}`,
  ];
}

function outputColumns(tag: string, name: string, W: number): string[] {
  const col = (metric: string, expr: string) => `case when ok_${name} then ${expr} end as "${metric}_${tag}_${name}"`;
  const r2 = `case when flat_${name} then null else 1 - ssres_${name} / nullif(sstot_${name}, 0) end`;
  const curved = `abs(a2_${name}) * ${(W - 1) * (W - 1)} > 1e-12 * maxabs_${name}`;
  const vx = `(-a1_${name} / (2 * a2_${name}))`;
  return [
    col('a2', `a2_${name}`),
    col('a1', `a1_${name}`),
    col('b', `b_${name}`),
    col('r2', r2),
    col('rmse', `sd_${name}`),
    // a least-squares fit with an intercept has residuals summing to 0 exactly
    col('residual_mean', '0::float8'),
    col('residual_std', `sd_${name}`),
    col('prediction', `pred_${name}`),
    col('pi_lower', `pred_${name} - 1.96 * sd_${name}`),
    col('pi_upper', `pred_${name} + 1.96 * sd_${name}`),
    col('vertex_x', `case when ${curved} then ${vx} end`),
    col('vertex_y', `case when ${curved} then a2_${name} * ${vx} * ${vx} + a1_${name} * ${vx} + b_${name} end`),
    col('curvature', `abs(a2_${name})`),
    // greatest/least skip NULLs in Postgres: keep a NULL r2 NULL rather than clamping it to 0
    col('fit_quality', `case when flat_${name} or sstot_${name} = 0 then null else least(greatest(${r2}, 0), 1) end`),
    col('extrapolation_error', `sd_${name} / nullif(abs(pred_${name}), 0)`),
  ];
}

function body(domain: 'rate' | 'bqx') {
  const tag = domain === 'rate' ? 'idx' : 'bqx';
  return (source: string) => {
    const sums = blockSumsSql(sparseTableSql(source, Math.max(...LEVELS), LEVELS), SPEC, LEVEL_COLS);
    const stage2Items = [
      ...REG_WINDOWS.flatMap((w) => windowLagItems(w.bars, SPEC)),
      ...prevBlockItems(SPEC),
      ...REG_WINDOWS.flatMap((w) => windowExtremeItems(w.bars, 0, `w${w.name}`)),
    ];
    const stage2 = `(-- stage 2: lags of the running sums at each window, the previous block's totals, the window extremes
      select r, ts_utc, y, a, rr, ${SPEC.sums.map((x) => `c_${x}`).join(ITEM)}, ${stage2Items.join(ITEM)}
      from ${sums} s1 window o as (order by r))`;
    const fence = (what: string, items: string[], from: string, alias: string) => `(-- ${what}
      select ts_utc, y, a, ${items.join(ITEM)} from ${from} ${alias} offset 0)`;
    const stage3 = `(-- stage 3: the window sums on the centred abscissa
      select ts_utc, y, a, ${REG_WINDOWS.flatMap((w) => sumItems(w.name, w.bars)).join(ITEM)} from ${stage2} s2 offset 0)`;
    const stage4 = fence(
      'stage 4: the centred coefficients and the residual sum of squares',
      REG_WINDOWS.flatMap((w) => coefItems(w.name, w.bars)),
      stage3,
      's3',
    );
    const stage5 = fence(
      'stage 5: intercept, SSres, SStot',
      REG_WINDOWS.flatMap((w) => fitItems(w.name, w.bars)),
      stage4,
      's4',
    );
    const stage6 = fence(
      'stage 6: raw-k coefficients, prediction and residual std',
      REG_WINDOWS.flatMap((w) => rawItems(w.name, w.bars)),
      stage5,
      's5',
    );
    const outs = REG_WINDOWS.flatMap((w) => outputColumns(tag, w.name, w.bars));
    return `select ts_utc, ${outs.join(',\n    ')}
  from ${stage6} s6`;
  };
}

export function regRefreshSql(domain: 'rate' | 'bqx'): string {
  const fam = domain === 'rate' ? regRate : regBqx;
  return refreshFunctionSql({
    family: fam.family,
    lookback: fam.lookbackBars,
    source: SERIES[domain],
    body: body(domain),
    columns: fam.columns.map((c) => c.name),
    description: `rolling quadratic fits of ${domain === 'rate' ? 'rate_index' : 'w15_bqx_return'} over w15..w75 and agg = 90 bars (spec section 5)`,
  });
}
