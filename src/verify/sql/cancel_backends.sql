-- Cancels the running statement of verify's own sessions (run from a second connection when the client
-- is told to stop). $1: their backend pids. A role may cancel its own backends without any grant.
select pid, pg_cancel_backend(pid) as cancelled
from pg_stat_activity
where pid = any($1::int[]) and state <> 'idle'
