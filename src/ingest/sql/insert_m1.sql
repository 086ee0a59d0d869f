-- Moves the staged bars of pair $1 into place with their indices: into {{table}}, the pair's table
-- bqx.m1_<pair> (then record_inserted.sql records them) or bqx.m1 (its triggers record them). Only new
-- keys are inserted: stored bars with identical values are skipped (conflicts.sql has already refused any
-- that differ; staging holds each key once). No ON CONFLICT: its per-row speculative insertion costs about
-- twice a plain insert, and the caller holds the pair's lock from before the conflict check to commit, so
-- no other ingest can add these keys meanwhile. Returns the bars inserted, per UTC month (what
-- bqx.m1_rows_insert counts) and in all, and the first and last of them (late bars mark the watermarks).
with ins as (
  insert into {{table}} (pair, ts_utc, open, high, low, close,
                         bid_open, bid_high, bid_low, bid_close, ask_open, ask_high, ask_low, ask_close,
                         volume, rate_index, open_index, high_index, low_index)
  select s.pair, s.ts_utc, s.open, s.high, s.low, s.close,
         s.bid_open, s.bid_high, s.bid_low, s.bid_close, s.ask_open, s.ask_high, s.ask_low, s.ask_close,
         s.volume,
         100 * s.close / b.base_close, 100 * s.open / b.base_close,
         100 * s.high / b.base_close, 100 * s.low / b.base_close
  from pg_temp.bqx_staging s
  join bqx.baselines b on b.pair = s.pair
  where s.pair = $1::text
    and not exists (select 1 from bqx.m1 m where m.pair = $1::text and m.ts_utc = s.ts_utc)
  returning ts_utc
),
per_month as (
  select date_trunc('month', ts_utc, 'UTC') as month, count(*) as n, min(ts_utc) as lo, max(ts_utc) as hi
  from ins group by 1
)
select coalesce(sum(n), 0)::bigint as n,
       array_agg(month order by month) as months,
       array_agg(n order by month) as rows,
       min(lo) as first_ts,
       max(hi) as last_ts
from per_month;
