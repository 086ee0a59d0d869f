-- A failed cross unit ($1 family, $2 error): backoff as record_failure.sql, 30 s doubling up to an hour.
update bqx.cross_watermarks w set
  failures = w.failures + 1,
  retry_at = now() + least(interval '1 hour', interval '30 seconds' * power(2, w.failures)),
  last_error = $2,
  updated_at = now()
where w.family = $1
