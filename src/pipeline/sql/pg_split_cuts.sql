-- The split's cut instants (spec section 7), shared by every pair: the bar instants at the 70% and
-- 85% points of all bars of the chosen pairs in [$2, $3), pooled. $1 pairs, $4 and $5 the shares.
select percentile_disc($4::float8) within group (order by ts_utc) as o_cut1,
       percentile_disc($5::float8) within group (order by ts_utc) as o_cut2,
       count(*)::bigint as o_bars
from bqx.m1
where pair = any($1::text[]) and ts_utc >= $2 and ts_utc < $3
