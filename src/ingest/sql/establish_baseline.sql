-- Spec section 2: B = close of the pair's first bar at or after its base instant, set once. For pair $1
-- when its B is not known yet: the ingest's own first such bar is passed in ($2 its instant, $3 its close;
-- NULL when the file has none; staged_first_bar.sql or the fast path's buffer finds it), and the stored
-- bars are read here. Returns the pair when set.
with pending as (
  select b.pair, b.base_instant from bqx.baselines b where b.pair = $1::text and b.base_close is null
),
candidates as (
  select $2::timestamptz as ts_utc, $3::float8 as close from pending p where $2::timestamptz is not null
  union all
  select m.ts_utc, m.close from pending p
  cross join lateral (
    select ts_utc, close from bqx.m1 m
    where m.pair = $1::text and m.ts_utc >= p.base_instant
    order by ts_utc limit 1
  ) m
),
first_bar as (
  select ts_utc, close from candidates order by ts_utc limit 1
)
update bqx.baselines b
set base_close = f.close, base_ts = f.ts_utc, established_at = now()
from first_bar f
where b.pair = $1::text and b.base_close is null
returning b.pair;
