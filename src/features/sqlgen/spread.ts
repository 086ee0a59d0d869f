/**
 * Generated SQL for spread_features (catalog: src/features/catalog/spread.ts): the bid/ask spread
 * s = ask_close - bid_close, its rolling moments, extremes, percentile and trend, flags and regime, and
 * the mid-price microstructure estimators (Roll, Abdi-Ranaldo, Corwin-Schultz, mid volatility).
 *
 * Rolling sums come from multiRolling.ts in blocks of 256 rows (the regime's 240-bar mean must fit one
 * block plus its predecessor). Extremes and the percentile read the 59 lags of s directly: a rank needs
 * every value of the window, and the lags cost one pass. Families needing bid/ask are NULL where the
 * source has none; the mid-price estimators read m1's mid OHLC, which every source has. The spread's
 * third moment (skew), the spike and compression thresholds and Roll's autocovariance come from exact
 * numeric running sums on the 1e-8 grid instead: they are the terms the float block sums could not hold.
 */

import { spreadFeatures } from '../catalog/spread.ts';
import { ITEM } from './layout.ts';
import {
  countsRead,
  type MultiSpec,
  multiBlockSumsSql,
  multiLagItems,
  multiStage1Cols,
  multiUnpackItems,
  windowCount,
  windowSum,
} from './multiRolling.ts';
import { refreshFunctionSql } from './refreshFunction.ts';
import { history } from './sources.ts';

const H = history(3);

const BLOCK = 256;
const S60 = [
  ['s'],
  ['s', 's'],
  ['rr', 's'],
  ['s', 'vol'],
  ['vol'],
  ['vol', 'vol'],
  ['s', 'arm'],
  ['arm'],
  ['arm', 'arm'],
  ['rm'],
  ['rm', 'rm'],
];
const S20 = [['s'], ['s', 's'], ['rr', 's'], ['rm'], ['rm', 'rm'], ['ar'], ['cs']];

const SPEC_SERIES: Omit<MultiSpec, 'counts'> = {
  block: BLOCK,
  series: [
    { name: 's', expr: 's', anchored: true },
    { name: 'vol', expr: 'vol', anchored: true },
    { name: 'arm', expr: 'abs(rm)', anchored: true },
    { name: 'rm', expr: 'rm', anchored: true },
    { name: 'ar', expr: 'ar', anchored: false },
    { name: 'cs', expr: 'cs', anchored: false },
  ],
  windows: [
    { W: 20, terms: S20 },
    { W: 60, terms: S60 },
    { W: 240, terms: [['s']] },
  ],
};

/**
 * Spreads are put on a 1e-8 price grid: ask - bid in floating point carries noise of a few ulps (0.8 pip
 * comes out as 8.000000000008e-5 or 7.99999999998e-5), which would make a constant spread look variable
 * with a variance of 1e-32 and a meaningless z-score. Every quote grid in use (5 or 3 decimals, 6 at most
 * for some brokers) is a multiple of 1e-8, so nothing real is lost.
 */
export const SPREAD_GRID = 1e8;
const GRID = SPREAD_GRID;

/** 3 - 2 sqrt(2), the Corwin-Schultz constant. */
const K_CS = 3 - 2 * Math.SQRT2;

const COUNTS = {
  oks: '(s is not null)::int',
  okv: '(vol is not null)::int',
  okm: '(rm is not null)::int',
  okd: '(dm is not null and dml is not null)::int',
  okar: '(ar is not null)::int',
  okcs: '(cs is not null)::int',
  chs: 'coalesce((s <> lag(s) over o)::int, 0)',
  chvol: 'coalesce((vol <> lag(vol) over o)::int, 0)',
  charm: 'coalesce((abs(rm) <> abs(lag(rm) over o))::int, 0)',
  chrm: 'coalesce((rm <> lag(rm) over o)::int, 0)',
};

// Level 1 reads the bars; level 2 the one-bar differences and logs; level 3 the two-bar estimators and
// the flags; level 4 the exact running counts. The windows are in ts_utc order, which is r's (r numbers
// the rows in that order) and the scan's: no sort before the block sums'.
const source = `(select r, ts_utc, s, sk, so, mid, c, vol, rm, dm, dml, ar, cs, ${Object.keys(COUNTS)
  .map((k) => `sum(${k}) over c as k_${k}`)
  .join(ITEM)},
          sum(sk) over c as k_sk, sum(sk * sk) over c as k_sk2, sum(sk * sk * sk) over c as k_sk3,
          sum(dk) over c as k_dk, sum(dkl) over c as k_dkl, sum(dk * dkl) over c as k_dkdkl
   from (select r, ts_utc, s, sk, so, mid, c, vol, rm, dm, dml, dk, dkl, ar, cs, ${Object.entries(COUNTS)
     .map(([k, e]) => `${e} as ${k}`)
     .join(ITEM)}
         from (select r, ts_utc, s, sk, so, mid, c, vol, rm, dm, lag(dm) over o as dml, dk, lag(dk) over o as dkl,
                      4 * (lag(lc) over o - lag(eta) over o) * (lag(lc) over o - eta) as ar,
                      case when csa is not null then greatest(0, 2 * (exp(csa) - 1) / (1 + exp(csa))) end as cs
               from (select r, ts_utc, s, sk, so, mid, c, vol, rm, dm, dk, lc, eta,
                            (sqrt(2 * csb) - sqrt(csb)) / ${K_CS} - sqrt(csg / ${K_CS}) as csa
                     from (select r, ts_utc, sk::float8 / ${GRID} as s, sk, so, mid, c, vol, ln(c) as lc, (ln(h) + ln(l)) / 2 as eta,
                                  ln(c / lag(c) over o) as rm, c - lag(c) over o as dm, ck - lag(ck) over o as dk,
                                  ln(h / l) ^ 2 + ln(lag(h) over o / lag(l) over o) ^ 2 as csb,
                                  ln(greatest(h, lag(h) over o) / least(l, lag(l) over o)) ^ 2 as csg
                           from (select ${H.rowNumber('ts_utc')} as r, ts_utc,
                                        round((ask_close - bid_close) * ${GRID})::numeric as sk,
                                        round((ask_open - bid_open) * ${GRID}) / ${GRID} as so,
                                        (ask_close + bid_close) / 2 as mid, close as c, round(close * ${GRID})::numeric as ck, high as h, low as l, volume as vol
                                 from bqx.m1 where pair = p_pair and ts_utc >= ${H.lowerBound} and ts_utc <= v_hi) q0
                           window o as (order by ts_utc)) q1) q2
               window o as (order by ts_utc)) q3
         window o as (order by ts_utc)) q4
   where r >= v_rs
   window c as (order by ts_utc rows between unbounded preceding and current row))`;

/** The block sums' spec: the series and windows, and the running counts of COUNTS. */
const SPEC: MultiSpec = { ...SPEC_SERIES, counts: Object.keys(COUNTS) };
const COUNT_ROWS = [20, 60, 240, 19, 59];

/** Sum of k^p, k = the spread in grid units, over the 60 bars ending at t (exact: numeric running sums). */
const gridSum = (p: 1 | 2 | 3) => {
  const k = p === 1 ? 'k_sk' : `k_sk${p}`;
  return `(${k} - coalesce(lag(${k}, 60) over o, 0))`;
};

const LAGS = Array.from({ length: 59 }, (_, i) => i + 1);
const FLATS = { s: 'chs', vol: 'chvol', arm: 'charm', rm: 'chrm' };

function body(): string {
  const kCols = Object.keys(COUNTS).map((k) => `k_${k}`);
  const stage1 = multiBlockSumsSql(source, SPEC, ['sk', 'so', 'mid', 'c', ...kCols, 'k_sk', 'k_sk2', 'k_sk3', 'k_dk', 'k_dkl', 'k_dkdkl']);
  const stage2Items = [
    ...multiLagItems(SPEC, COUNT_ROWS),
    ...LAGS.map((k) => `lag(s, ${k}) over o as sl${k}`),
    // exact grid-unit sums over 60 bars: the spike and compression thresholds are ties on discrete spreads
    `60 * sk - ${gridSum(1)} as xd60`,
    `${gridSum(1)} as g1`,
    `${gridSum(2)} as g2`,
    `${gridSum(3)} as g3`,
    // Roll: 60^2 1e16 times the autocovariance of mid-close changes over the 60 pairs ending at t, exact
    // (mid closes on the 1e-8 grid, numeric sums): its sign decides NULL, and a window whose changes are
    // uncorrelated at exactly 0 (all but one change zero, or a busy window by chance) is NULL, not noise
    `60 * (k_dkdkl - coalesce(lag(k_dkdkl, 60) over o, 0)) - (k_dk - coalesce(lag(k_dk, 60) over o, 0)) * (k_dkl - coalesce(lag(k_dkl, 60) over o, 0)) as xr60`,
  ];
  const stage2 = `(-- stage 2: packed lags of the block sums, the 59 lags of the spread, exact grid-unit sums
      select r, ts_utc, s, so, mid, c, vol, rr, ${multiStage1Cols(SPEC).join(ITEM)}, ${stage2Items.join(ITEM)}
      from ${stage1} s1
      -- (blk, r) orders as r does, and is the block sums' sort: no sort again
      window o as (order by blk, r))`;

  const sum = (W: number, ...f: string[]) => `${windowSum(SPEC, W, f)} as s${W}_${f.join('_')}`;
  const rank = (W: number) => {
    const lags = LAGS.filter((k) => k < W).map((k) => `sl${k}`);
    return [
      `(1 + ${lags.map((l) => `(${l} <= s)::int`).join(' + ')})::float8 / ${W} as pct${W}`,
      `least(s, ${lags.join(ITEM)}) as mn${W}`,
      `greatest(s, ${lags.join(ITEM)}) as mx${W}`,
    ];
  };
  const stage3Items = [
    ...S20.map((f) => sum(20, ...f)),
    ...S60.map((f) => sum(60, ...f)),
    sum(240, 's'),
    ...rank(20),
    ...rank(60),
    ...[20, 60, 240].flatMap((W) => ['oks', 'okv', 'okm', 'okd', 'okar', 'okcs'].map((k) => `${windowCount(SPEC, k, W)} as n${k}${W}`)),
    ...[20, 60].flatMap((W) => Object.entries(FLATS).map(([f, ch]) => `${windowCount(SPEC, ch, W - 1)} = 0 as f${f}${W}`)),
    'sl1',
    'sl5',
    'xd60',
    'xv60',
    'xm60',
    'xr60',
  ];
  // 60^2 m2 and 60^3 m3 of the spread in grid units, exact: 60 sum k^2 - (sum k)^2 and
  // 60^2 sum k^3 - 3 60 sum k sum k^2 + 2 (sum k)^3 (from the 256-row block sums m3 lost up to 3.1e-9 on a
  // pair-year: anchors up to 255 rows back, cubed). Unpacks the counts the stage 3 expressions read.
  const stage2b = `(-- stage 2b: unpacked sums and exact moments (behind an offset 0 fence)
      select ts_utc, s, so, mid, c, vol, rr, d_s, d_vol, d_rm, ${LAGS.map((k) => `sl${k}`).join(ITEM)}, xd60, xr60,
        60 * g2 - g1 * g1 as xv60, 3600 * g3 - 180 * g1 * g2 + 2 * g1 * g1 * g1 as xm60,
        ${multiUnpackItems(SPEC, COUNT_ROWS, countsRead(SPEC, stage3Items)).join(ITEM)}
      from ${stage2} s2 offset 0)`;
  const stage3 = `(-- stage 3: window sums, ranks, extremes, counts and flat flags
      select ts_utc, s, so, mid, c, vol, rr, a_s, d_s, d_vol, d_rm, ${stage3Items.join(ITEM)} from ${stage2b} s2b offset 0)`;

  // Stage 4: moments about the window means (population), in anchor space.
  const mom = (W: number) => {
    const m = (f: string) => `s${W}_${f} / ${W}`;
    const cv = (a: string, b: string) => `s${W}_${[a, b].join('_')} / ${W} - (${m(a)}) * (${m(b)})`;
    const S2 = (W * (W * W - 1)) / 12;
    return [
      `${cv('s', 's')} as vs${W}`,
      `${cv('rm', 'rm')} as vrm${W}`,
      // sum(u d_s), u = k - (W-1)/2, k = the row's place in the window, from sum(rr d_s) in block coordinates
      `case when fs${W} then 0 else (s${W}_rr_s - (rr - ${W - 1} + ${(W - 1) / 2}) * s${W}_s) / ${S2} end as tr${W}`,
    ];
  };
  const stage4Items = [
    ...mom(20),
    ...mom(60),
    's60_s_vol / 60 - (s60_s / 60) * (s60_vol / 60) as csv60',
    's60_vol_vol / 60 - (s60_vol / 60) ^ 2 as vvol60',
    's60_s_arm / 60 - (s60_s / 60) * (s60_arm / 60) as csa60',
    's60_arm_arm / 60 - (s60_arm / 60) ^ 2 as varm60',
  ];
  const stage4 = `(-- stage 4: moments about the window means
      select s3.*, ${stage4Items.join(ITEM)} from ${stage3} s3 offset 0)`;

  const BIDASK = (W: number) => `noks${W} = ${W}`;
  const mean = (W: number) => `(a_s + s${W}_s / ${W})`;
  const sd = (W: number) => `case when fs${W} then 0 else sqrt(greatest(vs${W}, 0)) end`;
  const z = (W: number) => `(d_s - s${W}_s / ${W}) / sqrt(vs${W})`;
  const zOk = (W: number) => `${BIDASK(W)} and not fs${W} and vs${W} > 0`;
  const rolling = [20, 60].flatMap((W) => [
    `case when ${BIDASK(W)} then ${mean(W)} end as "spread_mean_${W}"`,
    `case when ${BIDASK(W)} then ${sd(W)} end as "spread_std_${W}"`,
    `case when ${zOk(W)} then ${z(W)} end as "spread_z_${W}"`,
    `case when ${BIDASK(W)} then mn${W} end as "spread_min_${W}"`,
    `case when ${BIDASK(W)} then mx${W} end as "spread_max_${W}"`,
    `case when ${BIDASK(W)} then mx${W} - mn${W} end as "spread_range_${W}"`,
    `case when ${BIDASK(W)} then pct${W} end as "spread_pctile_${W}"`,
    `case when ${BIDASK(W)} then tr${W} end as "spread_trend_${W}"`,
  ]);
  const corr = (ok: string, cov: string, va: string, vb: string) =>
    `case when ${ok} and ${va} > 0 and ${vb} > 0 then ${cov} / sqrt(${va} * ${vb}) end`;
  const cols = [
    's as "spread"',
    '100 * s / nullif(mid, 0) as "spread_pct"',
    's / (select pip_size from bqx.pairs where pair = p_pair) as "spread_pips"',
    ...rolling,
    's - sl1 as "spread_change_1"',
    's - sl5 as "spread_change_5"',
    '(s - sl1) / nullif(sl1, 0) as "spread_change_pct_1"',
    's - so as "spread_open_close"',
    // z > 2 <=> W s - sum s > 0 and (W s - sum s)^2 > 4 (W sum s^2 - (sum s)^2), decided in exact grid units
    `case when ${zOk(60)} then (xd60 > 0 and xd60 * xd60 > 4 * xv60)::int::float8 end as "spread_spike"`,
    `case when ${zOk(60)} then (xd60 < 0 and xd60 * xd60 > xv60)::int::float8 end as "spread_compression"`,
    `case when noks240 = 240 and ${mean(240)} <> 0 then ${mean(20)} / ${mean(240)} end as "spread_regime"`,
    `case when ${BIDASK(20)} and ${mean(20)} <> 0 then s / ${mean(20)} end as "spread_rel_20"`,
    // m3 / m2^1.5 = (60^3 m3) / (60^2 m2)^1.5 from the exact grid sums, each rounded once; NULL exactly
    // where the window is flat (60^2 m2 = 0)
    `case when ${BIDASK(60)} and xv60 > 0 then xm60::float8 / (xv60::float8 * sqrt(xv60::float8)) end as "spread_skew_60"`,
    // 2 sqrt(-cov) / close from the exact sums, rounded once; NULL where the autocovariance is >= 0
    `case when nokd60 = 60 and xr60 < 0 then 2 * sqrt(-xr60::float8) / ${60 * GRID} / c end as "roll_cost_60"`,
    'case when nokar20 = 20 then sqrt(greatest(0, s20_ar / 20)) end as "effective_spread_20"',
    'case when nokcs20 = 20 then s20_cs / 20 end as "corwin_schultz_20"',
    ...[20, 60].map(
      (W) => `case when nokm${W} = ${W} then case when frm${W} then 0 else sqrt(greatest(vrm${W}, 0)) end end as "mid_volatility_${W}"`,
    ),
    `${corr('noks60 = 60 and nokv60 = 60 and not fs60 and not fvol60', 'csv60', 'vs60', 'vvol60')} as "spread_volume_corr_60"`,
    `${corr('noks60 = 60 and nokm60 = 60 and not fs60 and not farm60', 'csa60', 'vs60', 'varm60')} as "spread_return_corr_60"`,
  ];
  return `select ts_utc, ${cols.join(',\n    ')}
  from ${stage4} s4`;
}

export function spreadRefreshSql(): string {
  return refreshFunctionSql({
    family: spreadFeatures.family,
    lookback: spreadFeatures.lookbackBars,
    source,
    body: () => body(),
    columns: spreadFeatures.columns.map((c) => c.name),
    description: spreadFeatures.description,
    block: BLOCK,
  });
}
