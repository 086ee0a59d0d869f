-- Every view that reads the given views ($1 text[] of schema.name), directly or through other views:
-- they must go (and come back) when one of these is re-created with other columns.
with recursive dep(oid) as (
  select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname || '.' || c.relname = any($1::text[]) and c.relkind = 'v'
  union
  select r.ev_class from dep
  join pg_depend d on d.refobjid = dep.oid and d.refclassid = 'pg_class'::regclass and d.classid = 'pg_rewrite'::regclass
  join pg_rewrite r on r.oid = d.objid
  where r.ev_class <> dep.oid
)
select distinct n.nspname || '.' || c.relname as object_name, c.relkind::text as relkind
from dep join pg_class c on c.oid = dep.oid join pg_namespace n on n.oid = c.relnamespace
where not (n.nspname || '.' || c.relname = any($1::text[]));
