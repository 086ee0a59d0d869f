-- Re-bases $1 pair: B becomes the close of its first bar at or after the base instant, as an in-order
-- load would have set it. Returns the old and new baseline; NULL new_ts when the pair has no such bar.
with f as (
  select m.ts_utc, m.close from bqx.baselines b
  join bqx.m1 m on m.pair = b.pair and m.ts_utc >= b.base_instant
  where b.pair = $1 order by m.ts_utc limit 1
), old as (
  select base_ts, base_close from bqx.baselines where pair = $1 for update
)
update bqx.baselines b set base_ts = f.ts_utc, base_close = f.close, established_at = now()
from f, old
where b.pair = $1
returning old.base_ts as old_ts, old.base_close as old_close, b.base_ts as new_ts, b.base_close as new_close
