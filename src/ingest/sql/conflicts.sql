-- Staged bars of pair $1 whose values differ from the stored bar at the same (pair, ts_utc). The pair, a
-- bind parameter, prunes bqx.m1 to that pair's tables (no range filter on m.ts_utc: with one, the
-- planner's estimate for a fresh month is a row or two, and it scans staging once per stored bar). Runs under the pair's lock
-- (pair_lock.sql), the same lock the insert needs, so no other ingest can store a differing bar between
-- this check and the insert. Duplicates within the file were settled while streaming (or by staged_repeats.sql). The store never
-- overwrites silently: these are reported, and re-ingesting identical bars changes nothing.
select s.line, s.pair, s.ts_utc,
       format('conflicts with the stored bar %s %s (stored o/h/l/c %s/%s/%s/%s, file %s/%s/%s/%s); the store never overwrites silently',
              s.pair, to_char(s.ts_utc at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'),
              m.open, m.high, m.low, m.close, s.open, s.high, s.low, s.close) as reason
from pg_temp.bqx_staging s
join bqx.m1 m on m.pair = $1::text and m.ts_utc = s.ts_utc
where s.pair = $1::text
  and (s.open, s.high, s.low, s.close, s.bid_open, s.bid_high, s.bid_low, s.bid_close,
       s.ask_open, s.ask_high, s.ask_low, s.ask_close, s.volume)
      is distinct from
      (m.open, m.high, m.low, m.close, m.bid_open, m.bid_high, m.bid_low, m.bid_close,
       m.ask_open, m.ask_high, m.ask_low, m.ask_close, m.volume)
order by s.line;
