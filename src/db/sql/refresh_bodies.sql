-- The live bodies of the refresh functions (bqx.refresh_<family>): what rows written now are computed with.
select substr(p.proname, 9) as family, p.prosrc
from pg_proc p
where p.pronamespace = 'bqx'::regnamespace and p.proname like 'refresh\_%'
