-- Monthly m1 partitions for every staged pair's range (plus premake), pairs in a fixed order so two
-- concurrent ingests take the per-pair partition locks in the same order and cannot deadlock.
select s.pair, bqx.ensure_partitions('m1', s.pair, s.lo, s.hi + interval '1 minute') as created
from (
  select pair, min(ts_utc) as lo, max(ts_utc) as hi
  from pg_temp.bqx_staging group by pair order by pair
) s
order by s.pair;
