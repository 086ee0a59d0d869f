-- Functions and views that live in schema bqx, to spot ones no sql/ file manages.
select distinct 'bqx.' || p.proname as object_name, 'function' as kind
from pg_proc p where p.pronamespace = 'bqx'::regnamespace
union
select 'bqx.' || c.relname, 'view' from pg_class c
where c.relnamespace = 'bqx'::regnamespace and c.relkind in ('v', 'm')
order by 1;
