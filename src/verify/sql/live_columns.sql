-- Columns of every family's parent table, in order, with their types.
select c.relname as family, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type, a.attnum
from pg_class c
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where c.relnamespace = 'bqx'::regnamespace
  and c.relname in (select family from bqx.families)
order by c.relname, a.attnum;
