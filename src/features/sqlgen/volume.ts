/**
 * Generated SQL for volume_features (catalog: src/features/catalog/volume.ts): 7 metrics x 5 windows in
 * the rate domain (y = rate_index) and the bqx domain (y = w15_bqx_return), all from one pass of
 * multi-series block sums (multiRolling.ts).
 *
 * Every window is complete or NULL: a domain's columns at window W need y over the W + 1 bars ending at
 * t (dy reads the bar before the window) and tick volume over the W bars ending at t. "Flat" (a series
 * constant over the window) is decided exactly from integer counts of changes, never by comparing a
 * computed variance with 0 (spec section 9).
 */

import { VOLUME_WINDOWS, volumeFeatures } from '../catalog/volume.ts';
import { type CentredSpec, type CentredTerm, centredSumsSql } from './centredSums.ts';
import { ITEM } from './layout.ts';
import {
  countLag,
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
import { BLOCK } from './rolling.ts';
import { history } from './sources.ts';

const H = history(2);

/**
 * The rate domain's |dy| is the absolute close change on a 1e-8 price grid (the same up to the constant
 * 100 / B, which a correlation ignores): c(t) - c(t-1) in floating point carries a few ulps of noise, so
 * a run of one-tick moves would look variable with a variance of 1e-30 and a meaningless correlation.
 */
const GRID = 1e8;

/** The window sums every window needs: moments and cross products of the two domains with volume. */
const TERMS = [
  ['ri'],
  ['vol'],
  ['vol', 'vol'],
  ['ri', 'vol'],
  ['ari'],
  ['ari', 'ari'],
  ['ari', 'vol'],
  ['upr'],
  ['dnr'],
  ['vp'],
  ['rr', 'vol'],
  ['bx'],
  ['bx', 'vol'],
  ['upb'],
  ['dnb'],
  ['sgb'],
];

/**
 * The moments the block sums cannot hold (issue 21): the price z-score of vm_div (W >= 15; W = 5 is
 * two-pass, z5) needs the variance of y, and bqx pv_corr the moments of |dx|, on windows whose spread is
 * a few ticks, or the bqx family's rounding noise (|dx| about 1e-18), next to an anchor up to 255 rows
 * back: rate vm_div_60 and bqx vm_div_15 missed 1e-9 by up to 2x, bqx pv_corr by far more. These come
 * from window-only sums about a value inside the window (centredSums.ts). Volume enters the cross
 * product as it is: its level is no cancellation risk next to |dx|'s.
 */
const CENTRED: CentredSpec = {
  windows: [...VOLUME_WINDOWS],
  series: [
    { suffix: '_ri', expr: 'ri' },
    { suffix: '_bx', expr: 'bx' },
    { suffix: '_abx', expr: 'abs(dbx)' },
    { suffix: '_v', expr: 'vol', anchored: false },
  ],
  terms: (W) => [
    ...(W === 5
      ? []
      : [
          { name: 'ri', factors: ['_ri'] },
          { name: 'ri_ri', factors: ['_ri', '_ri'] },
          { name: 'bx', factors: ['_bx'] },
          { name: 'bx_bx', factors: ['_bx', '_bx'] },
        ]),
    { name: 'abx', factors: ['_abx'] },
    { name: 'abx_abx', factors: ['_abx', '_abx'] },
    { name: 'abx_v', factors: ['_abx', '_v'] },
  ],
};
const centredTerms = (W: number) => (CENTRED.terms as (W: number) => CentredTerm[])(W).map((t) => t.name);
/** The anchors of y the z-score's numerator reads (y(t) - a<W>_y). */
const CENTRED_ANCHORS = VOLUME_WINDOWS.filter((W) => W !== 5).flatMap((W) => [`a${W}_ri`, `a${W}_bx`]);

const SPEC_SERIES: Omit<MultiSpec, 'counts'> = {
  block: BLOCK,
  series: [
    { name: 'ri', expr: 'ri', anchored: true },
    { name: 'bx', expr: 'bx', anchored: true },
    { name: 'vol', expr: 'vol', anchored: true },
    { name: 'ari', expr: 'adc', anchored: true },
    { name: 'vp', expr: 'vol', anchored: false },
    { name: 'upr', expr: 'case when dri > 0 then vol else 0 end', anchored: false },
    { name: 'dnr', expr: 'case when dri < 0 then vol else 0 end', anchored: false },
    { name: 'upb', expr: 'case when dbx > 0 then vol else 0 end', anchored: false },
    { name: 'dnb', expr: 'case when dbx < 0 then vol else 0 end', anchored: false },
    { name: 'sgb', expr: 'sign(dbx) * vol', anchored: false },
  ],
  windows: VOLUME_WINDOWS.map((W) => ({
    W,
    terms: TERMS,
  })),
};

/** Flags counted with exact global running sums: complete rows per domain, and changes per series. */
const COUNTS = {
  okr: '(ri is not null and vol is not null and dri is not null)::int',
  okb: '(bx is not null and vol is not null and dbx is not null)::int',
  okv: '(vol is not null)::int',
  chri: 'coalesce((ri <> lag(ri) over o)::int, 0)',
  chbx: 'coalesce((bx <> lag(bx) over o)::int, 0)',
  chvol: 'coalesce((vol <> lag(vol) over o)::int, 0)',
  chari: 'coalesce((adc <> lag(adc) over o)::int, 0)',
  chabx: 'coalesce((abs(dbx) <> abs(lag(dbx) over o))::int, 0)',
};
const FLATS = ['ri', 'bx', 'vol', 'ari', 'abx'];
/** The block sums' spec: the series and windows, and the running counts (COUNTS, and sums of v and v^2). */
const SPEC: MultiSpec = { ...SPEC_SERIES, counts: [...Object.keys(COUNTS), 'vn', 'vn2'] };

/**
 * The source rows and their change and completeness flags; the running counts k_<name> (sums of the
 * flags, and of v and v^2) are summed in the centred stage's first level (SOURCE_ITEMS), whose window
 * the anchors' lags share. Every window here is in ts_utc order, which is r's (r numbers the rows in
 * that order) and the scan's: no sort before the centred sums' own.
 */
const source = `(select r, ts_utc, ri, bx, vol, dri, dbx, adc, ${Object.keys(COUNTS).join(ITEM)}
   from (select r, ts_utc, ri, bx, vol, dri, dbx, adc, ${Object.entries(COUNTS)
     .map(([k, e]) => `${e} as ${k}`)
     .join(ITEM)}
         from (select r, ts_utc, ri, bx, vol, ri - lag(ri) over o as dri, bx - lag(bx) over o as dbx,
                      round(abs(cl - lag(cl) over o) * ${GRID}) / ${GRID} as adc
               from (select ${H.rowNumber('m.ts_utc')} as r, m.ts_utc, m.rate_index as ri,
                            x.w15_bqx_return as bx, m.volume as vol, m.close as cl
                     from bqx.m1 m left join bqx.bqx x on x.pair = m.pair and x.ts_utc = m.ts_utc
                     where m.pair = p_pair and m.ts_utc >= ${H.lowerBound} and m.ts_utc <= v_hi) q0
               window o as (order by ts_utc)) q1
         window o as (order by ts_utc)) q2
   where r >= v_rs)`;
/** The centred stage's first level: the source's columns, and its running counts (window o, in r order). */
const SOURCE_ITEMS = [
  'r',
  'ts_utc',
  'ri',
  'bx',
  'vol',
  'dri',
  'dbx',
  'adc',
  ...Object.keys(COUNTS).map((k) => `sum(${k}) over o as k_${k}`),
  'sum(vol) over o as k_vn',
  'sum(vol * vol) over o as k_vn2',
];

/**
 * The 5-bar z-score of y(t) as numerator and variance, two-pass over e_k = y(t-k) - y(t): from the block
 * sums, the variance of 5 values is E[d^2] - E[d]^2 about an anchor up to 255 rows back, whose rounding
 * (eps D^2, D = the distance to the anchor) was all of vm_div_5's error (1.6e-10 on a near-flat window,
 * growing with D on wilder series). Here every term is bounded by the window's own range.
 */
function z5(y: string): string[] {
  const e = [1, 2, 3, 4].map((k) => `(l${y}_${k} - ${y})`);
  const mean = `(${e.join(' + ')}) / 5`;
  return [
    `-(${mean}) as zn_${y}5`,
    `((${mean}) * (${mean}) + ${e.map((x) => `(${x} - ${mean}) * (${x} - ${mean})`).join(' + ')}) / 5 as zv_${y}5`,
  ];
}

function body(): string {
  const kCols = Object.keys(COUNTS).map((k) => `k_${k}`);
  const sourceCols = ['r', 'ts_utc', 'ri', 'bx', 'vol', 'dri', 'dbx', 'adc', ...kCols, 'k_vn', 'k_vn2'];
  // the centred stage ends with its window sums cs<W>_<term>: 31 floats ride through the block stage
  // instead of the prefix and suffix sums they come from (issue 20)
  const csCols = VOLUME_WINDOWS.flatMap((W) => centredTerms(W).map((t) => `cs${W}_${t}`));
  const centred = centredSumsSql(source, {
    ...CENTRED,
    packed: { carry: sourceCols, anchors: CENTRED_ANCHORS, first: SOURCE_ITEMS, order: 'ts_utc' },
  });
  const stage1 = multiBlockSumsSql(centred, SPEC, ['dri', 'dbx', 'adc', ...kCols, 'k_vn', 'k_vn2', ...CENTRED_ANCHORS, ...csCols]);
  // the centred window sums, and the centred deviations of y(t), in stage 2b
  const centredItems = VOLUME_WINDOWS.flatMap((W) => [
    ...centredTerms(W).map((t) => `cs${W}_${t}`),
    ...(W === 5 ? [] : [`ri - a${W}_ri as cd${W}_ri`, `bx - a${W}_bx as cd${W}_bx`]),
  ]);
  const centredNames = centredItems.map((x) => (x.includes(' as ') ? x.slice(x.lastIndexOf(' as ') + 4) : x));
  const countRows = VOLUME_WINDOWS.flatMap((W) => [W, W - 1, 1, W + 1]);
  // the 4 values before t of each domain: the 5-bar price z-score of vm_div_5, two-pass (below)
  const stage2Items = [
    ...multiLagItems(SPEC, countRows),
    ...['ri', 'bx'].flatMap((y) => [1, 2, 3, 4].map((k) => `lag(${y}, ${k}) over o as l${y}_${k}`)),
    ...CENTRED_ANCHORS,
    ...csCols,
  ];
  // counts and flags, read from the packed running counts
  const countItems = (W: number) => {
    // sums of v and v^2 over the W bars before t, from running sums that are exact on integer volumes
    // (float8 holds integers to 2^53): v(t) > mean + 2 std is a tie on integer volumes, decided exactly
    const before = (k: string) => `(${countLag(SPEC, k, 1)} - coalesce(${countLag(SPEC, k, W + 1)}, 0))`;
    return [
      `${windowCount(SPEC, 'okr', W)} as nr${W}`,
      `${windowCount(SPEC, 'okb', W)} as nb${W}`,
      `${windowCount(SPEC, 'okv', W)} as nv${W}`,
      ...FLATS.map((f) => `${windowCount(SPEC, `ch${f}`, W - 1)} = 0 as f${f}${W}`),
      `${before('okv')} as pnv${W}`,
      `${W} * vol - ${before('vn')} as pxd${W}`,
      `${W} * ${before('vn2')} - ${before('vn')} * ${before('vn')} as pxv${W}`,
    ];
  };
  const stage2 = `(-- stage 2: packed lags of the block sums, the 4 values before each bar, the centred suffix sums
      select r, ts_utc, ri, bx, vol, rr, ${multiStage1Cols(SPEC).join(ITEM)}, ${stage2Items.join(ITEM)}
      from ${stage1} s1
      -- (blk, r) orders as r does, and is the block sums' sort: no sort again
      window o as (order by blk, r))`;
  const S = (W: number, ...f: string[]) => windowSum(SPEC, W, f);
  const stage3Items = VOLUME_WINDOWS.flatMap((W) => [...countItems(W), ...TERMS.map((f) => `${S(W, ...f)} as s${W}_${f.join('_')}`)]);
  // unpacks the counts the stage 3 expressions read
  const stage2b = `(-- stage 2b: unpacked sums, the 5-bar z-scores, the centred window sums (behind an offset 0 fence)
      select r, ts_utc, ri, bx, vol, rr, d_ri, d_bx, d_vol, ${multiUnpackItems(SPEC, countRows, countsRead(SPEC, stage3Items)).join(ITEM)}, ${['ri', 'bx'].flatMap(z5).join(ITEM)},
        ${centredItems.join(ITEM)}
      from ${stage2} s2 offset 0)`;
  const stage3 = `(-- stage 3: window sums, counts and flat flags
      select r, ts_utc, ri, bx, vol, rr, a_vol, d_ri, d_bx, d_vol, zn_ri5, zv_ri5, zn_bx5, zv_bx5, ${centredNames.join(ITEM)}, ${stage3Items.join(ITEM)} from ${stage2b} s2b offset 0)`;

  // Stage 4: moments per window (means of deviations, population variances and covariances).
  const stage4Items = VOLUME_WINDOWS.flatMap((W) => {
    const m = (f: string) => `s${W}_${f} / ${W}`;
    const v = (a: string, b: string) => `s${W}_${[a, b].sort().join('_')} / ${W} - (${m(a)}) * (${m(b)})`;
    const cm = (f: string) => `cs${W}_${f} / ${W}`;
    const cv = (a: string, b: string) => `cs${W}_${a}_${b} / ${W} - (${cm(a)}) * (${cm(b)})`;
    return [
      `nr${W}`,
      `nb${W}`,
      `nv${W}`,
      `pnv${W}`,
      `pxd${W}`,
      `pxv${W}`,
      ...FLATS.map((f) => `f${f}${W}`),
      `s${W}_ri`,
      `s${W}_bx`,
      `s${W}_vol`,
      `s${W}_ri_vol`,
      `s${W}_bx_vol`,
      `s${W}_upr`,
      `s${W}_dnr`,
      `s${W}_upb`,
      `s${W}_dnb`,
      `s${W}_sgb`,
      `s${W}_vp`,
      `s${W}_rr_vol`,
      `${v('vol', 'vol')} as vvol${W}`,
      `${v('ari', 'ari')} as vari${W}`,
      `${v('ari', 'vol')} as cari${W}`,
      ...(W === 5
        ? []
        : [`${cv('ri', 'ri')} as vri${W}`, `${cv('bx', 'bx')} as vbx${W}`, `cd${W}_ri`, `cd${W}_bx`, `cs${W}_ri`, `cs${W}_bx`]),
      `${cv('abx', 'abx')} as vabx${W}`,
      // sum(d v) / W - mean(d) mean(v), mean(v) from the exact block sum of v
      `cs${W}_abx_v / ${W} - (${cm('abx')}) * (s${W}_vp / ${W}) as cabx${W}`,
    ];
  });
  const stage4 = `(-- stage 4: moments per window (means of deviations, population variances and covariances)
      select r, ts_utc, ri, bx, vol, rr, a_vol, d_ri, d_bx, d_vol, zn_ri5, zv_ri5, zn_bx5, zv_bx5, ${stage4Items.join(ITEM)} from ${stage3} s3 offset 0)`;

  const cols = (['rate', 'bqx'] as const).flatMap((domain) =>
    VOLUME_WINDOWS.flatMap((W) => {
      const y = domain === 'rate' ? 'ri' : 'bx';
      const ay = domain === 'rate' ? 'ari' : 'abx';
      const up = domain === 'rate' ? 'upr' : 'upb';
      const dn = domain === 'rate' ? 'dnr' : 'dnb';
      const ok = `${domain === 'rate' ? 'nr' : 'nb'}${W} = ${W}`;
      const sumV = `s${W}_vp`;
      const col = (name: string, cond: string, expr: string) =>
        `case when ${ok}${cond ? ` and ${cond}` : ''} then ${expr} end as "${domain}_${name}_${W}"`;
      // sum(v * d_y) = sum(d_v d_y) + a_v sum(d_y): the volume-weighted mean of y, less y(t), in anchor space
      const vwapLessY = `(s${W}_${[y, 'vol'].sort().join('_')} + a_vol * s${W}_${y}) / ${sumV} - d_${y}`;
      const shared = [
        col('vwap_dev', `${sumV} <> 0`, domain === 'rate' ? `(${vwapLessY}) / ri` : vwapLessY),
        col('pv_corr', `not f${ay}${W} and not fvol${W} and v${ay}${W} > 0 and vvol${W} > 0`, `c${ay}${W} / sqrt(v${ay}${W} * vvol${W})`),
        W === 5
          ? col(
              'vm_div',
              `not f${y}5 and not fvol5 and zv_${y}5 > 0 and vvol5 > 0`,
              `zn_${y}5 / sqrt(zv_${y}5) - (d_vol - s5_vol / 5) / sqrt(vvol5)`,
            )
          : col(
              'vm_div',
              `not f${y}${W} and not fvol${W} and v${y}${W} > 0 and vvol${W} > 0`,
              `(cd${W}_${y} - cs${W}_${y} / ${W}) / sqrt(v${y}${W}) - (d_vol - s${W}_vol / ${W}) / sqrt(vvol${W})`,
            ),
        col('updown_ratio', `s${W}_${dn} <> 0`, `s${W}_${up} / s${W}_${dn}`),
        col('imbalance', `${sumV} <> 0`, `(s${W}_${up} - s${W}_${dn}) / ${sumV}`),
      ];
      const S2 = (W * (W * W - 1)) / 12;
      const own =
        domain === 'rate'
          ? [
              col('vol_cv', `${sumV} <> 0`, `case when fvol${W} then 0 else sqrt(greatest(vvol${W}, 0)) end / (${sumV} / ${W})`),
              // sum(u d_v), u = k - (W-1)/2 and k = the row's place in the window: from sum(rr d_v) in block coordinates
              col(
                'vol_trend',
                `${sumV} <> 0`,
                `case when fvol${W} then 0 else (s${W}_rr_vol - (rr - ${W - 1} + ${(W - 1) / 2}) * s${W}_vol) / ${S2} end / (${sumV} / ${W})`,
              ),
            ]
          : [
              col('signed_delta', '', `s${W}_sgb`),
              // v > mean + 2 std <=> W v - sum v > 0 and (W v - sum v)^2 > 4 (W sum v^2 - (sum v)^2); flat <=> the latter is 0
              `case when pnv${W} = ${W} and vol is not null and pxv${W} <> 0 then (pxd${W} > 0 and pxd${W} * pxd${W} > 4 * pxv${W})::int::float8 end as "bqx_vol_spike_${W}"`,
            ];
      return [...shared, ...own];
    }),
  );
  return `select ts_utc, ${cols.join(',\n    ')}
  from ${stage4} s4`;
}

export function volumeRefreshSql(): string {
  return refreshFunctionSql({
    family: volumeFeatures.family,
    lookback: volumeFeatures.lookbackBars,
    source: source,
    body: () => body(),
    columns: volumeFeatures.columns.map((c) => c.name),
    description: volumeFeatures.description,
  });
}
