-- Each pair's first bar past the warm-up: the $1-th bar of its series in bqx.m1 (one index probe per pair).
select p.pair, s.start_ts
from bqx.pairs p
cross join lateral (
  select m.ts_utc as start_ts from bqx.m1 m where m.pair = p.pair order by m.ts_utc offset $1::int - 1 limit 1
) s
order by p.pair
