-- What the serving connection may do: the role it runs as and whether it can write any bqx table or
-- run a refresh (the server refuses such a role unless --allow-writer).
select current_user as role, session_user as login,
       exists (select 1 from pg_tables t
               where t.schemaname = 'bqx'
                 and has_table_privilege(format('%I.%I', t.schemaname, t.tablename), 'INSERT,UPDATE,DELETE,TRUNCATE')) as can_write,
       has_function_privilege('bqx.feature_vector_json(text, timestamptz, text[])', 'EXECUTE') as can_serve
