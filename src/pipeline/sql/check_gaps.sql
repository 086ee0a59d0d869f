-- Gaps of more than {{max_gap}} minutes between consecutive bars of {{raw}} in [from, to), except the
-- weekend close (from Friday 21:00 UTC, or Saturday, to Sunday 23:00 UTC of the same weekend); the
-- same rule as sql/checks/gaps_beyond_weekends.sql.
select prev_ts::varchar as prev_ts, ts_utc::varchar as ts_utc, date_diff('minute', prev_ts, ts_utc) as gap_minutes
from (select ts_utc, lag(ts_utc) over (order by ts_utc) as prev_ts from {{raw}})
where ts_utc >= {{from}} and ts_utc < {{to}}
  and ts_utc - prev_ts > to_minutes({{max_gap}})
  and not (
    ((isodow(prev_ts) = 5 and hour(prev_ts) >= 21) or isodow(prev_ts) = 6)
    and ts_utc <= date_trunc('week', prev_ts) + interval '6 days 23 hours'
  )
order by ts_utc
limit 50
