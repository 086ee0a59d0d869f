-- Staged rows that cannot be stored, with the reason: a later bar in the file for the same
-- (pair, ts_utc) with other values than the first, or a bar whose values differ from the stored one.
-- Identical repeats are not conflicts: re-ingesting a file changes nothing.
with ranked as (
  select s.*,
         first_value(s.line) over w as first_line,
         row_number() over w as rn
  from pg_temp.bqx_staging s
  window w as (partition by s.pair, s.ts_utc order by s.line)
)
select r.line, r.pair, r.ts_utc,
       format('duplicate bar for %s %s with other values than line %s', r.pair,
              to_char(r.ts_utc at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'), r.first_line) as reason
from ranked r
join pg_temp.bqx_staging f on f.line = r.first_line
where r.rn > 1
  and (r.open, r.high, r.low, r.close, r.bid_open, r.bid_high, r.bid_low, r.bid_close,
       r.ask_open, r.ask_high, r.ask_low, r.ask_close, r.volume)
      is distinct from
      (f.open, f.high, f.low, f.close, f.bid_open, f.bid_high, f.bid_low, f.bid_close,
       f.ask_open, f.ask_high, f.ask_low, f.ask_close, f.volume)
union all
select s.line, s.pair, s.ts_utc,
       format('conflicts with the stored bar %s %s (stored o/h/l/c %s/%s/%s/%s, file %s/%s/%s/%s); the store never overwrites silently',
              s.pair, to_char(s.ts_utc at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'),
              m.open, m.high, m.low, m.close, s.open, s.high, s.low, s.close)
from pg_temp.bqx_staging s
join bqx.m1 m on m.pair = s.pair and m.ts_utc = s.ts_utc
where (s.open, s.high, s.low, s.close, s.bid_open, s.bid_high, s.bid_low, s.bid_close,
       s.ask_open, s.ask_high, s.ask_low, s.ask_close, s.volume)
      is distinct from
      (m.open, m.high, m.low, m.close, m.bid_open, m.bid_high, m.bid_low, m.bid_close,
       m.ask_open, m.ask_high, m.ask_low, m.ask_close, m.volume)
order by 1;
