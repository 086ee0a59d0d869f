-- The instants of the bars $3 (an array of counts) bars before bar $2 of pair $1 (0 = $2 itself);
-- NULL where the series is shorter.
select n, (select ts_utc from bqx.m1 where pair = $1 and ts_utc <= $2 order by ts_utc desc offset n limit 1) as ts_utc
from unnest($3::int[]) as n
