-- Per pair: seconds from its newest bar's completion (T + 1 min) to now; NULL for a pair without bars.
select p.pair,
       extract(epoch from now() - ((select max(m.ts_utc) from bqx.m1 m where m.pair = p.pair) + interval '1 minute'))::float8 as staleness_seconds
from bqx.pairs p
order by p.pair
