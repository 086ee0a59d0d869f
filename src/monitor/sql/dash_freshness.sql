-- Per pair: its newest bar, and how far each feature family's watermark trails it (minutes; the worst
-- family named), for the dashboard's freshness chart.
with newest as (
  select pair, max(ts_utc) as newest_bar from bqx.m1 group by pair
)
select
  n.pair,
  n.newest_bar,
  coalesce(max(extract(epoch from n.newest_bar - coalesce(w.refreshed_through, '-infinity')) / 60)
           filter (where w.refreshed_through is not null), 0)::float8 as lag_minutes,
  count(w.family) filter (where w.refreshed_through is not null)::int as families,
  count(w.family) filter (where w.refreshed_through >= n.newest_bar)::int as families_current
from newest n
left join bqx.watermarks w on w.pair = n.pair and w.family <> 'm1'
group by n.pair, n.newest_bar
order by n.pair
