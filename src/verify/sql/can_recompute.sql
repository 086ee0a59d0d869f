-- Whether the current role can run the causality spot checks: they recompute families in a transaction
-- that is rolled back, which needs the writer's rights (insert and delete on the family tables, execute on
-- the refresh functions). A reader runs every other check.
select bool_and(has_table_privilege(format('bqx.%I', f.family), 'insert, delete')) as tables,
       bool_and(p.oid is null or has_function_privilege(p.oid, 'execute')) as functions,
       current_user as role
from bqx.families f
left join pg_proc p on p.pronamespace = 'bqx'::regnamespace and p.proname = 'refresh_' || f.family
where f.family <> 'm1'
