-- A failed unit ($1 pair, $2 family, $3 error): count it and back off exponentially, 30 s doubling up to
-- an hour, so a unit that keeps failing does not hog the runner while the others carry on.
insert into bqx.watermarks as w (pair, family, failures, retry_at, last_error, updated_at)
values ($1, $2, 1, now() + interval '30 seconds', $3, now())
on conflict (pair, family) do update set
  failures = w.failures + 1,
  retry_at = now() + least(interval '1 hour', interval '30 seconds' * power(2, w.failures)),
  last_error = $3,
  updated_at = now()
