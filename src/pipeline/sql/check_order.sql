-- Rows of {{raw}} (in the order Postgres sent them) whose instant does not strictly follow the
-- previous row's: duplicates and out-of-order bars; of the rows in [{{lo}}, {{hi}}) (a chunk's own).
select prev_ts::varchar as prev_ts, ts_utc::varchar as ts_utc
from (select ts_utc, lag(ts_utc) over (order by rowid) as prev_ts from {{raw}})
where ts_utc <= prev_ts and ts_utc >= {{lo}} and ts_utc < {{hi}}
order by ts_utc
limit 20
