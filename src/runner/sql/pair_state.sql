-- What the incremental plan needs for a pair: its first and last bar, and each family's watermark.
select (select min(ts_utc) from bqx.m1 where pair = $1) as first_bar,
       (select max(ts_utc) from bqx.m1 where pair = $1) as last_bar,
       coalesce((select jsonb_object_agg(family, jsonb_build_object(
                  'through', refreshed_through, 'dirty', dirty_from, 'retry_at', retry_at, 'failures', failures, 'last_error', last_error))
                 from bqx.watermarks where pair = $1), '{}'::jsonb) as marks
