-- Where a change of bars up to $1 (the last changed bar plus the carry) stops reaching a cross-sectional
-- family that reads $2 grid minutes back: the ($2 + 1)-th grid minute after $1 is at or before every
-- pair's ($2 + 1)-th bar after it (each pair's bars are grid minutes), so the earliest of those bounds it.
-- NULL when no pair has that many bars after $1 (the change reaches the end of the series).
select min(b.ts_utc) as ts
from bqx.pairs p
cross join lateral (select m.ts_utc from bqx.m1 m where m.pair = p.pair and m.ts_utc > $1 order by m.ts_utc offset $2 limit 1) b
