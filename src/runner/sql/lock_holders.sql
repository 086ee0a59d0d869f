-- Who holds an advisory lock of bqx in this database, other than this session: what a unit that timed
-- out waiting for a lock, or found its unit lock taken, names in its message. $1 / $2: the lock's two
-- keys (unit_lock_keys.sql); NULL for any advisory lock.
select l.pid, a.usename as "user", a.application_name as application, a.client_addr::text as client,
       a.state, a.xact_start, left(a.query, 200) as query
from pg_locks l
left join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory' and l.granted and l.pid <> pg_backend_pid()
  and l.database = (select oid from pg_database where datname = current_database())
  and ($1::int is null or (l.classid::int = $1::int and l.objid::int = $2::int))
order by a.xact_start nulls last
