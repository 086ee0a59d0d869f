-- The refresh units since $1: how many, rows, time per partition written, errors and the latest errors.
select count(*) filter (where status = 'ok')::int as units_ok,
       count(*) filter (where status = 'error')::int as units_failed,
       count(*) filter (where status = 'skipped')::int as units_skipped,
       coalesce(sum(rows), 0)::bigint as rows,
       sum(duration_s) filter (where status = 'ok') / nullif(sum(partitions) filter (where status = 'ok'), 0) as seconds_per_partition,
       coalesce((select jsonb_agg(e order by e->>'at' desc) from (
          select jsonb_build_object('at', started_at, 'pair', pair, 'family', family, 'error', error) as e
          from bqx.refresh_runs where status = 'error' and started_at >= $1 order by started_at desc limit 5) x), '[]'::jsonb) as recent_errors
from bqx.refresh_runs where started_at >= $1
