/**
 * Generated SQL for bollinger_{rate,bqx} and statistics_{rate,bqx} (spec section 4): population moments,
 * extremes and the bands over the W bars ending at t (current bar included).
 *
 * From window sums T1..T4 of d = y - a: mu = T1/W, and the central moments
 *   m2 = T2/W - mu^2,  m3 = T3/W - 3 mu T2/W + 2 mu^3,  m4 = T4/W - 4 mu T3/W + 6 mu^2 T2/W - 3 mu^4.
 * The shared 128-row block sums (rolling.ts) lose accuracy as (D / sigma)^k, D = the distance of the
 * anchor and of every row in the running sums from the window (skew and kurtosis up to 2e-7, percent_b
 * 1.6e-9 on near-flat windows): these families build their own sums (centredSums.ts) that hold only
 * the window's rows, about a value inside the window (every deviation at most the window's range R, so
 * the cancellation left in m4 = e4 - 4 mu e3 + ... is bounded by R^4 / m4 <= 16 W). A flat window (max = min, detected exactly) has sigma exactly 0, and the
 * spec's NULLs follow: skew, kurt, zscore and percent_b are NULL there.
 */

import { bollingerBqx, bollingerRate } from '../catalog/bollinger.ts';
import { statisticsBqx, statisticsRate } from '../catalog/statistics.ts';
import type { FamilyDef } from '../catalog/types.ts';
import { centredSumsSql, centredWindowSum } from './centredSums.ts';
import { ITEM } from './layout.ts';
import { refreshFunctionSql } from './refreshFunction.ts';
import { sparseLevel, sparseTableSql, windowExtremeItems } from './rolling.ts';
import { SERIES } from './sources.ts';

type Kind = 'bollinger' | 'statistics';
/** The family's window lengths, in the catalog's column order (the same in both domains). */
const windowsOf = (f: FamilyDef): number[] => [...new Set(f.columns.map((c) => c.window!))];
const WINDOWS: Record<Kind, number[]> = { bollinger: windowsOf(bollingerRate), statistics: windowsOf(statisticsRate) };

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

function centredBody(kind: Kind, domain: 'rate' | 'bqx') {
  const windows = WINDOWS[kind];
  const powers = kind === 'statistics' ? 4 : 2;
  const ks = Array.from({ length: powers - 1 }, (_, i) => i + 2);
  const levels = [...new Set(windows.map(sparseLevel))];
  return (source: string) => {
    // the single series y: columns a<W>, d<W>, f<W>_<k> (sum of d^k)
    const terms = Array.from({ length: powers }, (_, i) => ({ name: String(i + 1), factors: Array(i + 1).fill('') }));
    const sums = centredSumsSql(sparseTableSql(source, Math.max(...levels), levels), {
      windows,
      series: [{ suffix: '', expr: 'y' }],
      terms,
    });
    const T = (W: number, k: number) => centredWindowSum(W, String(k));
    const stage2 = `(-- stage 2: per window, the count, the mean and raw moments about the window's anchor, the extremes
      select ts_utc, y, ${windows
        .flatMap((W) => [
          `a${W}`,
          `count(y) over (order by r rows between ${W - 1} preceding and current row) as n_${W}`,
          `${T(W, 1)} / ${W} as mu_${W}`,
          ...ks.map((k) => `${T(W, k)} / ${W} as e${k}_${W}`),
          ...windowExtremeItems(W, 0, `w${W}`),
        ])
        .join(ITEM)} from ${sums} s1 window o as (order by r))`;
    const stage3 = `(-- stage 3: central moments
      select ts_utc, y, ${windows
        .flatMap((W) => [
          `a${W}`,
          `n_${W}`,
          `mu_${W}`,
          `w${W}_max as mx${W}`,
          `w${W}_min as mn${W}`,
          `e2_${W} - mu_${W} * mu_${W} as m2_${W}`,
          ...(powers === 4
            ? [
                `e3_${W} - 3 * mu_${W} * e2_${W} + 2 * mu_${W} * mu_${W} * mu_${W} as m3_${W}`,
                `e4_${W} - 4 * mu_${W} * e3_${W} + 6 * mu_${W} * mu_${W} * e2_${W} - 3 * mu_${W} * mu_${W} * mu_${W} * mu_${W} as m4_${W}`,
              ]
            : []),
        ])
        .join(ITEM)} from ${stage2} s2 offset 0)`;
    return `select ts_utc, ${windows.flatMap((W) => outputs(kind, domain, W, `a${W}`)).join(',\n    ')}
  from ${stage3} s3`;
  };
}

function body(kind: Kind, domain: 'rate' | 'bqx') {
  return centredBody(kind, domain);
}

const DEFS: Record<string, FamilyDef> = {
  bollinger_rate: bollingerRate,
  bollinger_bqx: bollingerBqx,
  statistics_rate: statisticsRate,
  statistics_bqx: statisticsBqx,
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
