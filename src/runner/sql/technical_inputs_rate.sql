-- Inputs of technical_rate for one pair from the read start ($2) to the last bar of the range ($3):
-- keep: whether the bar is in the range ($4, its first bar) rather than warm-up;
-- H/L/C = high_index/low_index/rate_index and tick volume; us: ts_utc in microseconds since 1970 (binary COPY writes it back).
select (extract(epoch from ts_utc) * 1000000)::bigint as us, ts_utc >= $4 as keep, high_index as h, low_index as l, rate_index as c, volume as v
from bqx.m1
where pair = $1 and ts_utc >= $2 and ts_utc <= $3
order by ts_utc
