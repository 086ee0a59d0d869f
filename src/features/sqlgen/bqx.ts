/** Generated SQL for the bqx family (spec section 3): momentum of the rate index over the W bars before t. */

import { BQX_WINDOWS, bqx } from '../catalog/bqx.ts';
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

const SPEC: SumSpec = { sums: ['n', 'd', 'dd'] };

const LEVELS = [...new Set(BQX_WINDOWS.map(sparseLevel))];
const AGG_WINDOW = (() => {
  const w = new Set(bqx.columns.filter((c) => c.name.startsWith('agg_')).map((c) => c.window!));
  if (w.size !== 1 || !(BQX_WINDOWS as readonly number[]).includes([...w][0]!))
    throw new Error('the agg_ columns of bqx need one window among BQX_WINDOWS');
  return [...w][0]!;
})();
const LEVEL_COLS = LEVELS.flatMap((j) => [`mx_${j}`, `mn_${j}`]);

function body(source: string): string {
  const sums = blockSumsSql(sparseTableSql(source, Math.max(...LEVELS), LEVELS), SPEC, LEVEL_COLS);
  // Stage 2: lags of the running sums, previous-block totals, and the extremes of P_W (ending at t-1).
  const stage2Items = [
    ...BQX_WINDOWS.flatMap((W) => windowLagItems(W, SPEC)),
    ...prevBlockItems(SPEC),
    ...BQX_WINDOWS.flatMap((W) => [...windowExtremeItems(W, 1, `p${W}`), `lag(y, ${W}) over o as yw${W}`]),
  ];
  const stage2 = `(-- stage 2: lags of the running sums at each window, the previous block's totals, the extremes of P_W
      select r, ts_utc, y, a, rr, ${SPEC.sums.map((x) => `c_${x}`).join(ITEM)}, ${stage2Items.join(ITEM)}
      from ${sums} s1 window o as (order by r))`;
  // Stage 3: per row, count, mean-minus-anchor and sample variance of the W rows ending here.
  const stage3Items = BQX_WINDOWS.flatMap((W) => {
    const e = windowSumExprs(W, SPEC);
    return [
      `${e.n} as n${W}`,
      `${e.d} / ${W} as dm${W}`,
      // sample variance in d-space: (sum dd - (sum d)^2 / W) / (W - 1), never below 0
      `greatest(${e.dd} - ${e.d} * ${e.d} / ${W}, 0) / ${W - 1} as var${W}`,
      `p${W}_max`,
      `p${W}_min`,
      `yw${W}`,
    ];
  });
  const stage3 = `(-- stage 3: per window, count, mean less the anchor and sample variance of the W rows ending here
      select r, ts_utc, y, a, ${stage3Items.join(ITEM)} from ${stage2} s2 offset 0)`;
  // Stage 4: the P_W statistics of bar t are those of the window ending at t-1.
  const stage4Items = [
    'lag(a, 1) over o as pa',
    ...BQX_WINDOWS.flatMap((W) => [
      `lag(n${W}, 1) over o as pn${W}`,
      `lag(dm${W}, 1) over o as pdm${W}`,
      `lag(var${W}, 1) over o as pvar${W}`,
      `p${W}_max`,
      `p${W}_min`,
      `yw${W}`,
    ]),
  ];
  const stage4 = `(-- stage 4: the P_W statistics of a bar are those of the window ending one bar before it
      select r, ts_utc, y, ${stage4Items.join(ITEM)} from ${stage3} s3 window o as (order by r))`;
  const cols = BQX_WINDOWS.flatMap((W) => {
    const ok = `pn${W} = ${W} and y is not null and y <> 0`;
    const sd = `case when p${W}_max = p${W}_min then 0 else sqrt(pvar${W}) end`;
    return [
      // W * (mean(P_W) - I) / I, with the anchor subtracted first so the difference stays exact
      `case when ${ok} then ${W} * ((pa - y) + pdm${W}) / y end as "w${W}_bqx_return"`,
      `case when ${ok} then p${W}_max end as "w${W}_bqx_max_index"`,
      `case when ${ok} then p${W}_min end as "w${W}_bqx_min_index"`,
      `case when ${ok} then pa + pdm${W} end as "w${W}_bqx_avg_index"`,
      `case when ${ok} then ${sd} end as "w${W}_bqx_stdev_index"`,
      `case when ${ok} then (yw${W} - y) / y end as "w${W}_bqx_endpoint"`,
    ];
  });
  // the aggregates are over P_A, A = the catalog's window of the agg_ columns (one of the windows)
  const A = AGG_WINDOW;
  const okA = `pn${A} = ${A} and y is not null and y <> 0`;
  const sdA = `case when p${A}_max = p${A}_min then 0 else sqrt(pvar${A}) end`;
  const agg = [
    `case when ${okA} then ${A} * ((pa - y) + pdm${A}) / y end as "agg_bqx_return"`,
    `case when ${okA} then p${A}_max end as "agg_bqx_max_index"`,
    `case when ${okA} then p${A}_min end as "agg_bqx_min_index"`,
    `case when ${okA} then pa + pdm${A} end as "agg_bqx_avg_index"`,
    `case when ${okA} then ${sdA} end as "agg_bqx_stdev_index"`,
    `case when ${okA} then (p${A}_max - p${A}_min) / y end as "agg_bqx_range"`,
    `case when ${okA} then ${sdA} / y end as "agg_bqx_volatility"`,
  ];
  return `select ts_utc, ${[...cols, ...agg].join(',\n    ')}
  from ${stage4} s4`;
}

export function bqxRefreshSql(): string {
  return refreshFunctionSql({
    family: 'bqx',
    // The spec's lookback is the catalog's (75: P_75 of the first bar is the 75 bars before it); the
    // function has always read one bar more, which changes no value (the read start is rounded down to a
    // block anyway). Reading exactly 75 would change its body, and so the fingerprint of bqx and of every
    // family reading it: a full recompute of every store for no value changed.
    lookback: bqx.lookbackBars + 1,
    source: SERIES.rate,
    body,
    columns: bqx.columns.map((c) => c.name),
    description: 'BQX momentum of rate_index over the W bars before each bar (spec section 3)',
  });
}
