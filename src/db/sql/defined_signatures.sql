-- The overloads of the named functions ($1 text[] of schema.name) this transaction wrote: the ones the
-- sql/ files just applied defined (create or replace rewrites the pg_proc row even when unchanged).
select n.nspname || '.' || p.proname as object_name,
  array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text) as signatures
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname || '.' || p.proname = any($1::text[]) and p.xmin = pg_current_xact_id()::xid
group by 1;
