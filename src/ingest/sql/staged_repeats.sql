-- Staged rows repeating the (pair, ts_utc) of an earlier line of the same source, when the streaming
-- check (SeenKeys in ingest.ts) had let go of that key: a source out of time order by more than its
-- window. Per repeat: its line, the first line, whether its values are the first's, and the staged
-- values as text (for the reject file). One sort of the staging table, only for such sources.
select d.line, d.pair, d.ts_utc, d.first_line, d.same, row_to_json(d.rec)::text as raw
from (
  select s as rec, s.line, s.pair, s.ts_utc,
         first_value(s.line) over w as first_line,
         (s.open, s.high, s.low, s.close, s.bid_open, s.bid_high, s.bid_low, s.bid_close,
          s.ask_open, s.ask_high, s.ask_low, s.ask_close, s.volume)
         is not distinct from
         (first_value(s.open) over w, first_value(s.high) over w, first_value(s.low) over w,
          first_value(s.close) over w, first_value(s.bid_open) over w, first_value(s.bid_high) over w,
          first_value(s.bid_low) over w, first_value(s.bid_close) over w, first_value(s.ask_open) over w,
          first_value(s.ask_high) over w, first_value(s.ask_low) over w, first_value(s.ask_close) over w,
          first_value(s.volume) over w) as same
  from pg_temp.bqx_staging as s
  window w as (partition by s.pair, s.ts_utc order by s.line)
) as d
where d.line <> d.first_line
order by d.line;
