-- The live refresh functions (bqx.refresh_<family>): what rows written now are computed with. version
-- (oid and xmin of the pg_proc row) changes whenever a function is created or replaced: the caller's
-- cache key. $1: whether to return the bodies too.
select substr(p.proname, 9) as family, p.oid::text || ':' || p.xmin::text as version, case when $1 then p.prosrc end as prosrc
from pg_proc p
where p.pronamespace = 'bqx'::regnamespace and p.proname like 'refresh\_%'
order by 1
