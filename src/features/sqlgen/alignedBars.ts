import { CARRY_MINUTES } from '../catalog/currencyStrength.ts';

/**
 * The cross-section's common CTEs (currency_strength, cross_returns): `grid` (every minute at which any
 * pair has a bar in [v_start, p_to)) and `aligned` (each pair's price at each grid minute: its last bar at
 * or before it, carried for at most CARRY_MINUTES; `live` when the bar is at that very minute).
 *
 * A grid minute's bar is found by windows alone: counting a pair's bars in (ts, k) order numbers the run
 * of rows from one bar to the next (nb), whose first row is that bar (a bar sorts before a grid row at
 * the same instant), so first_value over (pair, nb) is it. A self-join on (pair, nb) said the same, but
 * without statistics (a store just ingested, before autovacuum's analyze) PostgreSQL 18 planned it as a
 * merge join on the pair alone, filtering nb row by row: 377M rows removed for one pair and 17 days, 43 s
 * instead of 0.5 s.
 */
export function alignedBarsCtes(): string {
  return `grid as (
    select distinct ts_utc from bqx.m1 where ts_utc >= v_start and ts_utc < p_to
  ), stream as (
    -- each pair's bars (k = 0) and the grid minutes (k = 1), a bar first at the same instant
    select pair, ts_utc, 0 as k, close from bqx.m1
    where ts_utc >= v_start - interval '${CARRY_MINUTES} minutes' and ts_utc < p_to
    union all
    select p.pair, g.ts_utc, 1, null::float8 from grid g cross join bqx.pairs p
  ), carried as (
    -- nb: the pair's bars so far; the rows from a bar up to the next share its nb, the bar first
    select pair, ts_utc, k, close, count(*) filter (where k = 0) over w as nb
    from stream window w as (partition by pair order by ts_utc, k rows between unbounded preceding and current row)
  ), grouped as (
    -- the group's bar (null before the pair's first bar: the group then starts with a grid row)
    select pair, ts_utc, k, first_value(case when k = 0 then ts_utc end) over g as bar_ts, first_value(close) over g as bar_close
    from carried window g as (partition by pair, nb order by ts_utc, k)
  ), aligned as (
    -- the grid minute's price: the group's bar (the last at or before it), at most ${CARRY_MINUTES} minutes old
    select pair, ts_utc, case when ts_utc - bar_ts <= interval '${CARRY_MINUTES} minutes' then bar_close end as close, bar_ts = ts_utc as live
    from grouped
    where k = 1
  )`;
}
