-- Inputs of technical_bqx for one pair from the read start ($2) to the last bar of the range ($3):
-- keep: whether the bar is in the range ($4, its first bar) rather than warm-up;
-- H = L = C = w15_bqx_return (NULL where the bar has no bqx row yet) and tick volume; us: ts_utc in
-- microseconds since 1970 (binary COPY writes it back).
select (extract(epoch from m.ts_utc) * 1000000)::bigint as us, m.ts_utc >= $4 as keep, x.w15_bqx_return as h, x.w15_bqx_return as l, x.w15_bqx_return as c, m.volume as v
from bqx.m1 m
left join bqx.bqx x on x.pair = m.pair and x.ts_utc = m.ts_utc
where m.pair = $1 and m.ts_utc >= $2 and m.ts_utc <= $3
order by m.ts_utc
