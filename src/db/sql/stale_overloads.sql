-- Overloads of a managed function that its sql/ file did not define when last applied (left behind by
-- a signature change). Rows recorded without signatures (before migrate recorded them) are skipped:
-- migrate re-applies those files, which records them.
select p.oid::regprocedure::text as signature, o.object_name, o.path
from bqx.sql_objects o
join pg_namespace n on n.nspname = split_part(o.object_name, '.', 1)
join pg_proc p on p.pronamespace = n.oid and p.proname = split_part(o.object_name, '.', 2)
where o.kind = 'function' and o.signatures is not null and not (p.oid::regprocedure::text = any(o.signatures))
order by 1;
