-- The cross-sectional families' watermarks, for the plan of the families that read them.
select family, refreshed_through, retry_at, failures, last_error from bqx.cross_watermarks
