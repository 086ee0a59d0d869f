-- Up Migration
-- Three roles (issue 9), created once per cluster (roles are cluster-wide, so an existing one is kept):
--   bqx_owner  - DDL: membership gives what the migrating role has on schema bqx;
--   bqx_writer - the runner: reads and writes the tables, executes the functions (partition maintenance
--                runs as its definer, since creating a partition needs ownership of the parent);
--   bqx_reader - analysts: SELECT on the tables and views of bqx, nothing else (no writes, no functions
--                but the read-only ones granted by their sql/ files, no CREATE).
-- Grant them to logins: grant bqx_reader to alice; grant bqx_writer to bqx_runner_login;
do $$
begin
  create role bqx_owner nologin;
exception when duplicate_object then null;
end $$;
do $$
begin
  create role bqx_writer nologin;
exception when duplicate_object then null;
end $$;
do $$
begin
  create role bqx_reader nologin;
exception when duplicate_object then null;
end $$;

grant usage, create on schema bqx to bqx_owner;
grant usage on schema bqx to bqx_writer, bqx_reader;
revoke create on schema bqx from public;

grant select on all tables in schema bqx to bqx_reader;
grant select, insert, update, delete on all tables in schema bqx to bqx_writer, bqx_owner;
grant usage, select on all sequences in schema bqx to bqx_writer, bqx_owner;
-- functions: nobody by default; the writer all of them; readers only what sql/ files grant explicitly
revoke execute on all functions in schema bqx from public;
grant execute on all functions in schema bqx to bqx_writer, bqx_owner;

-- what the migrating role creates later (partitions, views, functions from sql/) gets the same
alter default privileges in schema bqx grant select on tables to bqx_reader;
alter default privileges in schema bqx grant select, insert, update, delete on tables to bqx_writer, bqx_owner;
alter default privileges in schema bqx grant usage, select on sequences to bqx_writer, bqx_owner;
alter default privileges in schema bqx revoke execute on functions from public;
alter default privileges in schema bqx grant execute on functions to bqx_writer, bqx_owner;

-- Down Migration
-- The roles stay (other databases of the cluster may use them); this database's grants go.
alter default privileges in schema bqx revoke select on tables from bqx_reader;
alter default privileges in schema bqx revoke select, insert, update, delete on tables from bqx_writer, bqx_owner;
alter default privileges in schema bqx revoke usage, select on sequences from bqx_writer, bqx_owner;
alter default privileges in schema bqx grant execute on functions to public;
alter default privileges in schema bqx revoke execute on functions from bqx_writer, bqx_owner;
grant execute on all functions in schema bqx to public;
revoke all on all functions in schema bqx from bqx_writer, bqx_owner, bqx_reader;
revoke all on all sequences in schema bqx from bqx_writer, bqx_owner;
revoke all on all tables in schema bqx from bqx_writer, bqx_owner, bqx_reader;
revoke all on schema bqx from bqx_writer, bqx_owner, bqx_reader;
