-- Moves the staged bars of pair $1 into place with their indices. Only new keys are inserted: stored bars
-- with identical values are skipped (conflicts.sql has already refused any that differ; staging holds each
-- key once). No ON CONFLICT: its per-row speculative insertion costs about twice a plain insert, and the
-- caller holds the pair's lock from before the conflict check to commit, so no other ingest can add these
-- keys meanwhile. Returns the bars inserted and the earliest of them (late bars mark the watermarks).
with ins as (
insert into bqx.m1 (pair, ts_utc, open, high, low, close,
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
)
select count(*)::bigint as n, min(ts_utc) as first_ts from ins;
