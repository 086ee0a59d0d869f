/**
 * Generated SQL for bollinger_{rate,bqx} and statistics_{rate,bqx} (spec section 4): population moments,
 * extremes and the bands over the W bars ending at t (current bar included).
 *
 * From the block sums T1..T4 of d = y - a over the window (rolling.ts): mu = T1/W, and the central moments
 *   m2 = T2/W - mu^2,  m3 = T3/W - 3 mu T2/W + 2 mu^3,  m4 = T4/W - 4 mu T3/W + 6 mu^2 T2/W - 3 mu^4,
 * which lose little because d is a deviation from a value at most 128 rows back, not from 0 or a global
 * origin. A flat window (max = min, detected exactly) has sigma exactly 0, and the spec's NULLs follow:
 * skew, kurt, zscore and percent_b are NULL there.
 */
import { bollingerBqx, bollingerRate } from '../catalog/bollinger.ts';
import { statisticsBqx, statisticsRate } from '../catalog/statistics.ts';
import type { FamilyDef } from '../catalog/types.ts';
import { refreshFunctionSql } from './refreshFunction.ts';
import { blockSumsSql, prevBlockItems, sparseLevel, sparseTableSql, windowExtremeItems, windowLagItems, windowSumExprs, type SumSpec } from './rolling.ts';
import { SERIES } from './sources.ts';

type Kind = 'bollinger' | 'statistics';
const WINDOWS: Record<Kind, number[]> = { bollinger: [20, 50], statistics: [20, 50, 120] };

function spec(kind: Kind): SumSpec {
  return { sums: kind === 'statistics' ? ['n', 'd', 'dd', 'ddd', 'dddd'] : ['n', 'd', 'dd'] };
}

function outputs(kind: Kind, domain: 'rate' | 'bqx', W: number): string[] {
  const ok = `n_${W} = ${W} and y is not null`;
  const flat = `mx${W} = mn${W}`;
  const mean = `(a + mu_${W})`;
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
    col('zscore', `case when ${flat} then null else ((y - a) - mu_${W}) / sqrt(greatest(${m2}, 0)) end`),
  ];
}

function body(kind: Kind, domain: 'rate' | 'bqx') {
  const S = spec(kind);
  const windows = WINDOWS[kind];
  const levels = [...new Set(windows.map(sparseLevel))];
  const levelCols = levels.flatMap((j) => [`mx_${j}`, `mn_${j}`]);
  return (source: string) => {
    const sums = blockSumsSql(sparseTableSql(source, Math.max(...levels), levels), S, levelCols);
    const stage2Items = [
      ...windows.flatMap((W) => windowLagItems(W, S)),
      ...prevBlockItems(S),
      ...windows.flatMap((W) => windowExtremeItems(W, 0, `w${W}`)),
    ];
    const stage2 = `(select r, ts_utc, y, a, rr, ${S.sums.map((x) => `c_${x}`).join(', ')}, ${stage2Items.join(', ')}
      from ${sums} s1 window o as (order by r))`;
    const stage3 = `(select ts_utc, y, a, ${windows.flatMap((W) => {
      const e = windowSumExprs(W, S);
      return [`${e.n} as n_${W}`, `${e.d} / ${W} as mu_${W}`, `${e.dd} / ${W} as e2_${W}`,
        ...(e.ddd ? [`${e.ddd} / ${W} as e3_${W}`, `${e.dddd} / ${W} as e4_${W}`] : []),
        `w${W}_max as mx${W}`, `w${W}_min as mn${W}`];
    }).join(', ')} from ${stage2} s2 offset 0)`;
    const stage4 = `(select ts_utc, y, a, ${windows.flatMap((W) => [
      `n_${W}`, `mu_${W}`, `mx${W}`, `mn${W}`,
      `e2_${W} - mu_${W} * mu_${W} as m2_${W}`,
      ...(kind === 'statistics' ? [
        `e3_${W} - 3 * mu_${W} * e2_${W} + 2 * mu_${W} * mu_${W} * mu_${W} as m3_${W}`,
        `e4_${W} - 4 * mu_${W} * e3_${W} + 6 * mu_${W} * mu_${W} * e2_${W} - 3 * mu_${W} * mu_${W} * mu_${W} * mu_${W} as m4_${W}`,
      ] : []),
    ]).join(', ')} from ${stage3} s3 offset 0)`;
    return `select ts_utc, ${windows.flatMap((W) => outputs(kind, domain, W)).join(',\n    ')}
  from ${stage4} s4`;
  };
}

const DEFS: Record<string, FamilyDef> = {
  bollinger_rate: bollingerRate, bollinger_bqx: bollingerBqx, statistics_rate: statisticsRate, statistics_bqx: statisticsBqx,
};

export function momentsRefreshSql(kind: Kind, domain: 'rate' | 'bqx'): string {
  const fam = DEFS[`${kind}_${domain}`];
  return refreshFunctionSql({
    family: fam.family,
    lookback: Math.max(...WINDOWS[kind]),
    source: SERIES[domain],
    body: body(kind, domain),
    columns: fam.columns.map((c) => c.name),
    description: fam.description,
  });
}
