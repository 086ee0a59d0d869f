-- bqx.cross_completeness(): per cross-sectional family (bqx.cross_watermarks) and UTC month, the grid
-- minutes up to its watermark (the minutes at which some pair has a bar) against the minutes the table
-- has rows for; a row per (family, month) where they differ (missing > 0: minutes without rows, e.g. bars
-- loaded and never computed; missing < 0: rows at minutes no pair has a bar at any more).
-- Contract: reads bqx.m1 (every pair, to each watermark) and the cross tables; takes no locks of its own.
create or replace function bqx.cross_completeness()
returns table (family text, month date, grid_minutes bigint, rows_minutes bigint, missing bigint)
language plpgsql
stable
as $$
declare
  w record;
begin
  for w in select c.family, c.refreshed_through from bqx.cross_watermarks c where c.refreshed_through is not null order by c.family loop
    -- the table's name is a catalog family's (bqx.cross_watermarks' check), quoted
    return query execute format($q$
      with g as (
        select (date_trunc('month', ts_utc at time zone 'UTC'))::date as month, count(distinct ts_utc) as n
        from bqx.m1 where ts_utc <= $1 group by 1
      ), r as (
        select (date_trunc('month', ts_utc at time zone 'UTC'))::date as month, count(distinct ts_utc) as n
        from bqx.%I where ts_utc <= $1 group by 1
      )
      select %L::text, coalesce(g.month, r.month), coalesce(g.n, 0), coalesce(r.n, 0), coalesce(g.n, 0) - coalesce(r.n, 0)
      from g full join r on r.month = g.month
      where coalesce(g.n, 0) <> coalesce(r.n, 0)
      order by 2$q$, w.family, w.family) using w.refreshed_through;
  end loop;
end;
$$;

-- read-only: analysts may run `bqx verify`
grant execute on function bqx.cross_completeness() to bqx_reader;
