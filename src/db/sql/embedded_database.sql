-- The database named $1 on the embedded server, if any, and its comment (the demo marks its own).
select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1;
