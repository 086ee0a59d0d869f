-- The session's lock_timeout ($1, e.g. '5000ms'), left set: the caller resets it.
select set_config('lock_timeout', $1, false);
