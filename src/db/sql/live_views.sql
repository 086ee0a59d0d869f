-- Which of the named views ($1 text[] of schema.name) exist.
select n.nspname || '.' || c.relname as object_name
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname || '.' || c.relname = any($1::text[]) and c.relkind = 'v';
