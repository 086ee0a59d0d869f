-- Per family (pipeline stage): how many pairs have data in m1, how many the family has caught up with, the
-- oldest and newest watermark, the worst lag behind m1, pairs with a late-bar mark or in backoff, and the
-- family's last unit. $1: the catalog's family names, in its (dependency) order.
with bars as (
  select pair, max(ts_utc) as last_bar from bqx.m1 group by pair
)
select f.family,
       (select count(*) from bars)::int as pairs_with_bars,
       count(w.refreshed_through) filter (where w.refreshed_through >= b.last_bar)::int as pairs_current,
       min(w.refreshed_through) as oldest_watermark,
       max(w.refreshed_through) as newest_watermark,
       max(extract(epoch from b.last_bar - coalesce(w.refreshed_through, '-infinity'::timestamptz)) / 60)
         filter (where w.refreshed_through is not null) as max_lag_minutes,
       count(w.dirty_from)::int as pairs_dirty,
       count(*) filter (where w.retry_at > now())::int as pairs_in_backoff,
       (select r.status from bqx.refresh_runs r where r.family = f.family order by r.started_at desc limit 1) as last_status,
       (select r.started_at from bqx.refresh_runs r where r.family = f.family order by r.started_at desc limit 1) as last_run
from bqx.families f
left join bars b on true
left join bqx.watermarks w on w.family = f.family and w.pair = b.pair
where f.family <> 'm1'
group by f.family, f.lookback_bars
order by min(array_position($1::text[], f.family))
