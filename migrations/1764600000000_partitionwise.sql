-- Up Migration
-- The feature views join every family on ts_utc. Joined partition by partition, a query for one
-- pair-month reads only that month's partitions of each table; Postgres does that only with
-- enable_partitionwise_join, off by default. Set it for every session of this database (analysts' psql
-- included; bqx's own connections set it too). Needs the database's owner or a superuser; without that
-- privilege the migration says so and goes on.
do $$
begin
  execute format('alter database %I set enable_partitionwise_join = on', current_database());
exception when insufficient_privilege then
  raise notice 'could not set enable_partitionwise_join for the database (not its owner): set it per session or per role';
end $$;

-- Down Migration
do $$
begin
  execute format('alter database %I reset enable_partitionwise_join', current_database());
exception when insufficient_privilege then null;
end $$;
