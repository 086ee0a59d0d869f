-- The bar $3 rows after the first bar at or after $2 (or the pair's last bar when fewer follow).
select coalesce((select ts_utc from bqx.m1 where pair = $1 and ts_utc >= $2 order by ts_utc offset $3 limit 1),
                (select max(ts_utc) from bqx.m1 where pair = $1)) as ts
