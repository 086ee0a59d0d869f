-- After a unit commits its rows ($1 pair, $2 family, $3 last bar computed): the watermark only moves
-- forward; the late-bar mark is cleared when the unit was planned for it ($4 = the dirty_from the plan saw)
-- and no newer mark arrived meanwhile; failures and backoff reset.
insert into bqx.watermarks as w (pair, family, refreshed_through, dirty_from, failures, retry_at, last_error, updated_at)
values ($1, $2, $3, null, 0, null, null, now())
on conflict (pair, family) do update set
  refreshed_through = greatest(w.refreshed_through, excluded.refreshed_through),
  dirty_from = case when $4::timestamptz is not null and w.dirty_from = $4::timestamptz then null else w.dirty_from end,
  failures = 0, retry_at = null, last_error = null, updated_at = now()
