-- Violations: a view in schema bqx that reads the labels table (the future must never reach a feature view).
select distinct v.relname as view_name
from pg_depend d
join pg_rewrite r on r.oid = d.objid
join pg_class v on v.oid = r.ev_class and v.relnamespace = 'bqx'::regnamespace and v.relkind in ('v', 'm')
where d.refobjid = 'bqx.labels'::regclass
order by 1
