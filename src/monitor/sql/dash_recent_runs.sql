-- The newest refresh units, for the dashboard's history table.
select id, pair, family, range_from, range_to, rows, duration_s, status, error, trigger, started_at
from bqx.refresh_runs
order by id desc
limit $1
