import { CARRY_MINUTES } from '../catalog/currencyStrength.ts';

/**
 * The cross-section's common CTEs (currency_strength, cross_returns): `grid` (every minute at which any
 * pair has a bar in [v_start, p_to)) and `aligned` (each pair's price at each grid minute: its last bar at
 * or before it, carried for at most CARRY_MINUTES; `live` when the bar is at that very minute).
 *
 * A grid minute's bar is found in the one window pass that orders the stream: a running max of
 * [epoch, close] over the pair's bars, a bar sorting before a grid row at the same instant, is its last bar
 * at or before it (epochs only grow; both values are exact as doubles). A self-join on the bars' running
 * count said the same, but without statistics (a store just ingested, before autovacuum's analyze)
 * PostgreSQL 18 planned it as a merge join on the pair alone, filtering row by row: 377M rows removed for
 * one pair and 17 days, 43 s instead of 0.5 s. first_value over (pair, count) then needed a second sort;
 * the running max needs none (a month of 28 pairs: 5-13% faster than either).
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
    -- the pair's last bar at or before each row, in the one pass that orders the stream: a running max of
    -- [epoch, close] over the bars (epochs only grow, so the max is the latest; both exact as doubles)
    select pair, ts_utc, k, max(case when k = 0 then array[date_part('epoch', ts_utc), close] end) over w as bar
    from stream window w as (partition by pair order by ts_utc, k rows between unbounded preceding and current row)
  ), grouped as (
    select pair, ts_utc, k, to_timestamp(bar[1]) as bar_ts, bar[2] as bar_close from carried
  ), aligned as (
    -- the grid minute's price: the group's bar (the last at or before it), at most ${CARRY_MINUTES} minutes old
    select pair, ts_utc, case when ts_utc - bar_ts <= interval '${CARRY_MINUTES} minutes' then bar_close end as close, bar_ts = ts_utc as live
    from grouped
    where k = 1
  )`;
}
