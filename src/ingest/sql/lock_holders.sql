-- Who holds what an ingest of pairs $1 waited for: the pair lock of pair_lock.sql, or a lock on one of the
-- pair's m1 tables (a long reader holds up the creation of a partition). For the message of exit 7.
select distinct p.pair, a.pid, a.application_name, a.usename, a.state, a.xact_start, l.locktype, l.mode,
       left(regexp_replace(a.query, '\s+', ' ', 'g'), 120) as query
from unnest($1::text[]) as p(pair)
join pg_locks l on l.granted and l.pid <> pg_backend_pid()
  and l.database = (select oid from pg_database where datname = current_database())
  and ((l.locktype = 'advisory' and l.objsubid = 2
        and l.classid = (hashtext('bqx.partitions')::bigint & 4294967295)::oid
        and l.objid = (hashtext('m1.' || p.pair)::bigint & 4294967295)::oid)
    or (l.locktype = 'relation'
        and l.relation in (select c.oid from pg_class c where c.relnamespace = 'bqx'::regnamespace
                          and (c.relname = 'm1_' || p.pair or c.relname like 'm1\_' || p.pair || '\_%'))))
join pg_stat_activity a on a.pid = l.pid
order by p.pair, a.pid;
