-- Spec section 2: B = close of the pair's first bar at or after its base instant. Set once, for pairs
-- whose B is not known yet and whose first such bar is now stored or staged. Returns the pairs it set.
with pending as (
  select b.pair, b.base_instant
  from bqx.baselines b
  where b.base_close is null
    and b.pair in (select distinct pair from pg_temp.bqx_staging)
),
candidates as (
  select s.pair, s.ts_utc, s.close from pg_temp.bqx_staging s join pending p using (pair)
  where s.ts_utc >= p.base_instant
  union all
  select p.pair, m.ts_utc, m.close from pending p
  cross join lateral (
    select ts_utc, close from bqx.m1 m
    where m.pair = p.pair and m.ts_utc >= p.base_instant
    order by ts_utc limit 1
  ) m
),
firsts as (
  select distinct on (pair) pair, ts_utc, close from candidates order by pair, ts_utc
)
update bqx.baselines b
set base_close = f.close, base_ts = f.ts_utc, established_at = now()
from firsts f
where b.pair = f.pair
returning b.pair;
