-- Disk the store takes: the whole database (tables, indexes, TOAST, catalog).
select pg_database_size(current_database())::bigint as bytes
