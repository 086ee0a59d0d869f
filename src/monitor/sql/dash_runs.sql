-- The refresh history per day: units by status, rows and seconds, from bqx.refresh_runs.
select
  to_char(date_trunc('day', started_at, 'UTC'), 'YYYY-MM-DD') as day,
  count(*) filter (where status = 'ok')::int as ok,
  count(*) filter (where status = 'error')::int as error,
  count(*) filter (where status = 'skipped')::int as skipped,
  coalesce(sum(rows), 0)::float8 as rows,
  coalesce(sum(duration_s), 0)::float8 as seconds
from bqx.refresh_runs
group by 1
order by 1
