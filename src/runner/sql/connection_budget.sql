-- Connections this runner may still open: max_connections less the reserved ones and those in use.
select greatest(0, current_setting('max_connections')::int
                 - current_setting('superuser_reserved_connections')::int
                 - (select count(*)::int from pg_stat_activity)) as free
