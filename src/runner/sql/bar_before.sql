-- The bar $3 rows before the last bar at or before $2 (or the pair's first bar when fewer precede).
select coalesce((select ts_utc from bqx.m1 where pair = $1 and ts_utc <= $2 order by ts_utc desc offset $3 limit 1),
                (select min(ts_utc) from bqx.m1 where pair = $1)) as ts
