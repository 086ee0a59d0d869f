/**
 * Generated SQL for bollinger_{rate,bqx} and statistics_{rate,bqx} (spec section 4): population moments,
 * extremes and the bands over the W bars ending at t (current bar included).
 *
 * From window sums T1..T4 of d = y - a: mu = T1/W, and the central moments
 *   m2 = T2/W - mu^2,  m3 = T3/W - 3 mu T2/W + 2 mu^3,  m4 = T4/W - 4 mu T3/W + 6 mu^2 T2/W - 3 mu^4.
 * The shared 128-row block sums (rolling.ts) lose accuracy as (D / sigma)^k, D = the distance of the
 * anchor and of every row in the running sums from the window (skew and kurtosis up to 2e-7, percent_b
 * 1.6e-9 on near-flat windows): these families build their own sums (centredSumsSql) that hold only
 * the window's rows, about a value inside the window. A flat window (max = min, detected exactly) has sigma exactly 0, and the
 * spec's NULLs follow: skew, kurt, zscore and percent_b are NULL there.
 */
import { bollingerBqx, bollingerRate } from '../catalog/bollinger.ts';
import { statisticsBqx, statisticsRate } from '../catalog/statistics.ts';
import type { FamilyDef } from '../catalog/types.ts';
import { refreshFunctionSql } from './refreshFunction.ts';
import { sparseLevel, sparseTableSql, windowExtremeItems } from './rolling.ts';
import { SERIES } from './sources.ts';

type Kind = 'bollinger' | 'statistics';
const WINDOWS: Record<Kind, number[]> = { bollinger: [20, 50], statistics: [20, 50, 120] };


function outputs(kind: Kind, domain: 'rate' | 'bqx', W: number, a = 'a'): string[] {
  const ok = `n_${W} = ${W} and y is not null`;
  const flat = `mx${W} = mn${W}`;
  const mean = `(${a} + mu_${W})`;
  const sd = `case when ${flat} then 0 else sqrt(greatest(m2_${W}, 0)) end`;
  const col = (name: string, expr: string) => `case when ${ok} then ${expr} end as "${name}_${W}"`;
  if (kind === 'bollinger') {
    const upper = `(${mean} + 2 * ${sd})`;
    const lower = `(${mean} - 2 * ${sd})`;
    return [
      col('bb_upper', upper),
      col('bb_middle', mean),
      col('bb_lower', lower),
      col('bb_bandwidth', domain === 'rate' ? `(${upper} - ${lower}) / nullif(${mean}, 0)` : `(${upper} - ${lower})`),
      col('bb_percent_b', `case when ${flat} then null else (y - ${lower}) / nullif(${upper} - ${lower}, 0) end`),
    ];
  }
  const m2 = `m2_${W}`;
  return [
    col('mean', mean),
    col('std', sd),
    col('skew', `case when ${flat} or ${m2} <= 0 then null else m3_${W} / (${m2} * sqrt(${m2})) end`),
    col('kurt', `case when ${flat} or ${m2} <= 0 then null else m4_${W} / (${m2} * ${m2}) - 3 end`),
    col('min', `mn${W}`),
    col('max', `mx${W}`),
    col('range', `mx${W} - mn${W}`),
    col('zscore', `case when ${flat} then null else ((y - ${a}) - mu_${W}) / sqrt(greatest(${m2}, 0)) end`),
  ];
}

/**
 * Window sums of d^k, k = 1..4 (1..2 for Bollinger), with blocks of exactly W rows (numbered on the global row r)
 * and the anchor a = y at the first row of t's block, which lies inside the window ending at t. The window
 * is the prefix of t's block (running sums of (y - a)^k from its start) plus, unless t ends its block,
 * the suffix of the previous block from t - W + 1 (running sums in reverse row order, about the next
 * block's first value, i.e. about the same a). No sum ever holds a row outside the window and every
 * deviation is at most the window's range R, so the cancellation left in m4 = e4 - 4 mu e3 + ... is
 * bounded by R^4 / m4 <= 16 W (a window of range R has a value R/2 from its mean): about 1e-13 relative
 * for W = 120, where anchors up to 255 rows back and 128-row running sums lost up to 2e-7 on near-flat
 * windows. Two sorts per window buy it (the bench in BENCHMARKS.md).
 */
function centredSumsSql(src: string, windows: number[], powers: number): string {
  const ks = Array.from({ length: powers }, (_, i) => i + 1);
  const anchors = windows.flatMap((W) => [
    // the first value of r's block and of the next block (0 past the read: no complete window uses it)
    `coalesce(lag(y, (r % ${W})::int) over o, 0) as a${W}`,
    `coalesce(lead(y, ${W} - (r % ${W})::int) over o, 0) as na${W}`,
  ]);
  const devs = windows.flatMap((W) => [`y - a${W} as d${W}`, `y - na${W} as e${W}`]);
  const pw = (x: string, k: number) => Array(k).fill(x).join(' * ');
  // a sum over only NULLs is NULL, not 0
  const runs = (dir: 'f' | 'b', x: 'd' | 'e') => windows.flatMap((W) => ks.map((k) =>
    `coalesce(sum(${pw(`${x}${W}`, k)}) over ${dir}${W}, 0) as ${dir}${W}_${k}`)).join(', ');
  // Reverse sums first, forward sums one level up: within each level the sort orders nest, so after the
  // first sort of a level the rows are already in the next window's order (presorted: an O(n) check). The
  // reverse windows partition by -(r / W) for the same reason: r descending is sorted for every W.
  const wins = (dir: 'f' | 'b') => windows.map((W) => dir === 'f'
    ? `f${W} as (partition by r / ${W} order by r rows between unbounded preceding and current row)`
    : `b${W} as (partition by -(r / ${W}) order by r desc rows between unbounded preceding and current row)`).join(', ');
  return `(select *, ${runs('f', 'd')}
     from (select *, ${runs('b', 'e')}
           from (select *, ${devs.join(', ')}
                 from (select *, ${anchors.join(', ')} from ${src} c0 window o as (order by r)) c1) c2
           window ${wins('b')}) c3
     window ${wins('f')})`;
}

function centredBody(kind: Kind, domain: 'rate' | 'bqx') {
  const windows = WINDOWS[kind];
  const powers = kind === 'statistics' ? 4 : 2;
  const ks = Array.from({ length: powers - 1 }, (_, i) => i + 2);
  const levels = [...new Set(windows.map(sparseLevel))];
  return (source: string) => {
    const sums = centredSumsSql(sparseTableSql(source, Math.max(...levels), levels), windows, powers);
    // window sum of the k-th power: the prefix of t's block, plus the previous block's suffix from t - W + 1
    const T = (W: number, k: number) => `(f${W}_${k} + case when r % ${W} < ${W - 1} then lag(b${W}_${k}, ${W - 1}) over o else 0 end)`;
    const stage2 = `(select ts_utc, y, ${windows.flatMap((W) => [
      `a${W}`, `count(y) over (order by r rows between ${W - 1} preceding and current row) as n_${W}`,
      `${T(W, 1)} / ${W} as mu_${W}`, ...ks.map((k) => `${T(W, k)} / ${W} as e${k}_${W}`),
      ...windowExtremeItems(W, 0, `w${W}`),
    ]).join(', ')} from ${sums} s1 window o as (order by r))`;
    const stage3 = `(select ts_utc, y, ${windows.flatMap((W) => [
      `a${W}`, `n_${W}`, `mu_${W}`, `w${W}_max as mx${W}`, `w${W}_min as mn${W}`,
      `e2_${W} - mu_${W} * mu_${W} as m2_${W}`,
      ...(powers === 4 ? [
        `e3_${W} - 3 * mu_${W} * e2_${W} + 2 * mu_${W} * mu_${W} * mu_${W} as m3_${W}`,
        `e4_${W} - 4 * mu_${W} * e3_${W} + 6 * mu_${W} * mu_${W} * e2_${W} - 3 * mu_${W} * mu_${W} * mu_${W} * mu_${W} as m4_${W}`,
      ] : []),
    ]).join(', ')} from ${stage2} s2 offset 0)`;
    return `select ts_utc, ${windows.flatMap((W) => outputs(kind, domain, W, `a${W}`)).join(',\n    ')}
  from ${stage3} s3`;
  };
}

function body(kind: Kind, domain: 'rate' | 'bqx') {
  return centredBody(kind, domain);
}

const DEFS: Record<string, FamilyDef> = {
  bollinger_rate: bollingerRate, bollinger_bqx: bollingerBqx, statistics_rate: statisticsRate, statistics_bqx: statisticsBqx,
};

export function momentsRefreshSql(kind: Kind, domain: 'rate' | 'bqx'): string {
  const fam = DEFS[`${kind}_${domain}`];
  return refreshFunctionSql({
    family: fam.family,
    // two blocks of W rows for the window ending at the first row of the range
    lookback: 2 * Math.max(...WINDOWS[kind]),
    source: SERIES[domain],
    body: body(kind, domain),
    columns: fam.columns.map((c) => c.name),
    description: fam.description,
  });
}
