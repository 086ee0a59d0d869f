/**
 * The input series of the generated refresh functions, as (r, ts_utc, y): r is the pair's global row
 * number (v_rs is the count of bars before the read start), y the domain's value. Rows always come from
 * bqx.m1, so a bar whose bqx row is missing reads NULL in the bqx domain rather than shifting r.
 */
export const SERIES = {
  rate: `(select v_rs + row_number() over (order by ts_utc) - 1 as r, ts_utc, rate_index as y
      from bqx.m1 where pair = p_pair and ts_utc >= v_start and ts_utc <= v_hi)`,
  bqx: `(select v_rs + row_number() over (order by m.ts_utc) - 1 as r, m.ts_utc, x.w15_bqx_return as y
      from bqx.m1 m left join bqx.bqx x on x.pair = m.pair and x.ts_utc = m.ts_utc
      where m.pair = p_pair and m.ts_utc >= v_start and m.ts_utc <= v_hi)`,
} as const;

/**
 * Reading `extra` bars before the read start, for sources whose derived columns take lags (changes,
 * two-bar estimators): the first rows of the read then hold the same values as in a refresh that started
 * earlier, which keeps every bit independent of the refresh range. Callers number rows with `rowNumber`,
 * bound the scan below by `lowerBound`, and drop rows with r < v_rs once the lags are taken.
 */
export function history(extra: number) {
  return {
    lowerBound: `coalesce((select h.ts_utc from bqx.m1 h where h.pair = p_pair and h.ts_utc < v_start order by h.ts_utc desc offset ${extra - 1} limit 1),
                 (select min(h.ts_utc) from bqx.m1 h where h.pair = p_pair), v_start)`,
    rowNumber: (order: string) => `v_rs - least(v_rs, ${extra}) + row_number() over (order by ${order}) - 1`,
  };
}
