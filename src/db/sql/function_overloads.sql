-- Every overload of a function ($1 schema.name), as signatures a drop statement can name.
select p.oid::regprocedure::text as signature
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = split_part($1, '.', 1) and p.proname = split_part($1, '.', 2);
