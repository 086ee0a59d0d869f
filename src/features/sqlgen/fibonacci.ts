/**
 * Generated SQL for fibonacci_features (catalog: src/features/catalog/fibonacci.ts): the swing high and
 * low of the W bars ending at t (max high_index, min low_index), the five retracement levels between
 * them, and the rate index against them.
 *
 * Extremes are exact, so no sums are involved: a sparse table over (high_index, low_index) (maxima and
 * minima over 2, 4, ... 1024 rows, built by doubling with lead) gives a window of W rows as two
 * overlapping power-of-two spans (greatest of the span at t - W + 1 and the span ending at t). A window
 * is complete when its W rows all have a high and a low (a moving count, O(n)). The nearest level is
 * the first of the 15 (shorter window first, then smaller ratio) with the least |distance|: the same
 * float8 values and order as the reference loops, so ties break identically.
 */
import { FIB_LEVELS, FIB_WINDOWS, fibLevelTag, fibonacciFeatures } from '../catalog/fibonacci.ts';
import { refreshFunctionSql } from './refreshFunction.ts';
import { sparseLevel } from './rolling.ts';

const SOURCE = `(select v_rs + row_number() over (order by ts_utc) - 1 as r, ts_utc, rate_index as y, high_index as hi, low_index as lo
      from bqx.m1 where pair = p_pair and ts_utc >= v_start and ts_utc <= v_hi)`;

/** Nested selects adding hx_j / ln_j (max high, min low over rows [r, r + 2^j - 1]) up to level J, keeping `keep`. */
function swingTableSql(src: string, J: number, keep: number[]): string {
  let sql = `(select r, ts_utc, y, hi, lo, hi as hx_0, lo as ln_0 from ${src} f0)`;
  const kept = (j: number) => keep.filter((i) => i < j).flatMap((i) => [`hx_${i}`, `ln_${i}`]);
  for (let j = 1; j <= J; j++) {
    const step = 2 ** (j - 1);
    sql = `(select r, ts_utc, y, hi, lo, ${[...kept(j - 1), `hx_${j - 1}`, `ln_${j - 1}`].filter((c, i, a) => a.indexOf(c) === i).join(', ')},
            greatest(hx_${j - 1}, lead(hx_${j - 1}, ${step}) over o) as hx_${j}, least(ln_${j - 1}, lead(ln_${j - 1}, ${step}) over o) as ln_${j}
       from ${sql} f${j} window o as (order by r))`;
  }
  return `(select r, ts_utc, y, hi, lo, ${keep.flatMap((i) => [`hx_${i}`, `ln_${i}`]).join(', ')} from ${sql} fk)`;
}

function body(source: string): string {
  const levels = [...new Set(FIB_WINDOWS.map(sparseLevel))];
  const table = swingTableSql(source, Math.max(...levels), levels);
  const swings = `(select ts_utc, y, ${FIB_WINDOWS.flatMap((W) => {
    const j = sparseLevel(W);
    return [
      `count(hi) over (order by r rows between ${W - 1} preceding and current row) as nh_${W}`,
      `count(lo) over (order by r rows between ${W - 1} preceding and current row) as nl_${W}`,
      `greatest(lag(hx_${j}, ${W - 1}) over o, lag(hx_${j}, ${2 ** j - 1}) over o) as h_${W}`,
      `least(lag(ln_${j}, ${W - 1}) over o, lag(ln_${j}, ${2 ** j - 1}) over o) as l_${W}`,
    ];
  }).join(',\n           ')}
     from ${table} s1 window o as (order by r))`;
  const ok = (W: number) => `(nh_${W} = ${W} and nl_${W} = ${W} and y is not null)`;
  const dist = (W: number, r: number) => `(y - (h_${W} - ${r}::float8 * (h_${W} - l_${W}))) / nullif(y, 0)`;
  const items = FIB_WINDOWS.flatMap((W) => [
    ...FIB_LEVELS.map((r) => `case when ${ok(W)} then ${dist(W, r)} end as "fib_dist_${fibLevelTag(r)}_${W}"`),
    `case when ${ok(W)} and h_${W} <> l_${W} then (y - l_${W}) / (h_${W} - l_${W}) end as "fib_position_${W}"`,
  ]);
  const longest = Math.max(...FIB_WINDOWS);
  // The nearest level: the least |distance| of the 15, then the first candidate (in window, then ratio
  // order) that attains it. Exact comparisons of the same float8 values the columns hold, so ties break
  // as the reference's strict-less-than scan breaks them; a CASE per row instead of a sort per row.
  const cands = FIB_WINDOWS.flatMap((W) => FIB_LEVELS.map((r) => ({ W, r, d: `"fib_dist_${fibLevelTag(r)}_${W}"` })));
  const least = `least(${cands.map((c) => `abs(${c.d})`).join(', ')})`;
  const pick = (what: (c: (typeof cands)[number]) => string) =>
    `case ${cands.map((c) => `when abs(${c.d}) = nm then ${what(c)}`).join(' ')} end`;
  return `select ts_utc, ${[...FIB_WINDOWS.flatMap((W) => [...FIB_LEVELS.map((r) => `"fib_dist_${fibLevelTag(r)}_${W}"`), `"fib_position_${W}"`])].join(', ')},
    case when ok_longest then ${pick((c) => c.d)} end as "fib_nearest_dist",
    case when ok_longest then ${pick((c) => `${c.r}::float8`)} end as "fib_nearest_level"
  from (select *, ${least} as nm from (select s2.ts_utc, ${ok(longest)} as ok_longest, ${items.join(',\n    ')}
        from ${swings} s2 offset 0) s3) s4`; // offset 0: each distance computed once per row, not per reference
}

export function fibonacciRefreshSql(): string {
  const fam = fibonacciFeatures;
  return refreshFunctionSql({
    family: fam.family,
    lookback: fam.lookbackBars,
    source: SOURCE,
    body,
    columns: fam.columns.map((c) => c.name),
    description: fam.description,
  });
}
