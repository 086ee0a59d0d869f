-- Where a pair's extraction starts and how much history precedes it. $1 pair, $2 from, $3 to,
-- $4 bars of history the lags need before $2. o_start is the bar $4 bars before $2 (or the pair's
-- first bar); o_bars_before counts the bars before o_start, so the pipeline knows each row's place in
-- the pair's whole series (warm-up is judged against it, not against the extract's first row).
with s as (
  select coalesce(
    (select ts_utc from bqx.m1 where pair = $1 and ts_utc < $2 order by ts_utc desc offset greatest($4::int - 1, 0) limit 1),
    (select min(ts_utc) from bqx.m1 where pair = $1 and ts_utc < $3)
  ) as start
)
select s.start as o_start,
       (select count(*) from bqx.m1 where pair = $1 and ts_utc < s.start)::bigint as o_bars_before,
       (select count(*) from bqx.m1 where pair = $1 and ts_utc >= $2 and ts_utc < $3)::bigint as o_bars_in_range
from s
