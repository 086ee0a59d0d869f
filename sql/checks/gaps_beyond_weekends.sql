-- Violations: two consecutive bars of a pair more than 60 minutes apart, unless the gap lies within the
-- weekend close (Friday 21:00 to Sunday 23:00 UTC).
select pair, prev_ts, ts_utc, round(extract(epoch from ts_utc - prev_ts) / 60) as gap_minutes
from (select pair, ts_utc, lag(ts_utc) over (partition by pair order by ts_utc) as prev_ts from bqx.m1) q
where ts_utc - prev_ts > interval '60 minutes'
  and not (
    -- the gap starts on Friday from 21:00 or on Saturday, and ends by Sunday 23:00 of the same weekend
    ((extract(isodow from prev_ts at time zone 'UTC') = 5 and extract(hour from prev_ts at time zone 'UTC') >= 21)
      or extract(isodow from prev_ts at time zone 'UTC') = 6)
    and ts_utc <= date_trunc('week', prev_ts at time zone 'UTC') at time zone 'UTC' + interval '6 days 23 hours'
  )
order by 1, 2
