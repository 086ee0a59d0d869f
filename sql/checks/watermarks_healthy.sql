-- Violations: a refresh unit that keeps failing (in backoff) or a late-bar mark still pending.
select pair, family, failures, retry_at, dirty_from, last_error
from bqx.watermarks
where failures > 0 or dirty_from is not null
order by 1, 2
