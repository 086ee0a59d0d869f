-- After a cross unit commits ($1 family, $2 last grid minute computed, NULL when the unit was not
-- contiguous with the watermark): the watermark only moves forward; failures and backoff reset.
update bqx.cross_watermarks w set
  refreshed_through = case when $2::timestamptz is null then w.refreshed_through
                           else greatest(w.refreshed_through, $2::timestamptz) end,
  failures = 0, retry_at = null, last_error = null, updated_at = now()
where w.family = $1
