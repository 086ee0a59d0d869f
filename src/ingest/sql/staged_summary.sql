-- Per pair: staged rows, first and last bar.
select pair, count(*) as rows, min(ts_utc) as first_ts, max(ts_utc) as last_ts
from pg_temp.bqx_staging group by pair order by pair;
