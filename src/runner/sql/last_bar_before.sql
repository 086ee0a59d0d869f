-- The last bar of the pair in [$2, $3): how far a unit over that range takes the watermark.
select max(ts_utc) as last from bqx.m1 where pair = $1 and ts_utc >= $2 and ts_utc < $3
