-- Everything that defines schema bqx, as text: relations with kind and partition bounds, columns with
-- types and nullability, constraints, indexes, functions, views, and the seeded reference rows. Two
-- databases with the same fingerprint have the same catalog, whatever their OIDs.
select md5(string_agg(line, E'\n' order by line)) as fingerprint, count(*) as lines
from (
  select format('rel %s %s %s', c.relname, c.relkind, coalesce(pg_get_expr(c.relpartbound, c.oid), '')) as line
  from pg_class c where c.relnamespace = 'bqx'::regnamespace
  union all
  select format('col %s.%s %s %s %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attnum)
  from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where c.relnamespace = 'bqx'::regnamespace
  union all
  select format('con %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
  from pg_constraint k join pg_class c on c.oid = k.conrelid where c.relnamespace = 'bqx'::regnamespace
  union all
  select format('fn %s', pg_get_functiondef(p.oid)) from pg_proc p where p.pronamespace = 'bqx'::regnamespace
  union all
  select format('view %s %s', c.relname, pg_get_viewdef(c.oid)) from pg_class c
  where c.relnamespace = 'bqx'::regnamespace and c.relkind = 'v'
  union all
  select format('pair %s', p::text) from bqx.pairs p
  union all
  select format('family %s', f::text) from bqx.families f
  union all
  select format('catalog %s', f::text) from bqx.feature_catalog f
) x;
