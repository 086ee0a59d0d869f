-- Up Migration
-- Issue 14 item 8: no role below the writer can hold the store's locks hostage, and the writer writes
-- data, not configuration.
--
-- 1. Configuration is the owner's: the writer (the runner, ingest) keeps insert/update/delete on the data
--    tables (m1 and its row log, the family partitions, watermarks, refresh_runs, ingested_files,
--    baselines) but loses them on the tables that say what the store is: settings, pairs, families, the
--    feature catalog, holidays and the records of applied sql/ objects. `bqx migrate` writes those, as
--    the migrating role (the owner).
revoke insert, update, delete, truncate on
  bqx.settings, bqx.pairs, bqx.families, bqx.feature_catalog, bqx.holidays, bqx.sql_objects
  from bqx_writer;

-- 2. bqx doctor as a reader: the list of applied migrations is read-only information.
grant select on table public.bqx_migrations to bqx_reader, bqx_writer;

-- 3. Advisory locks. The store's locks (refresh units, partition maintenance, ingest, migrate) are
--    ordinary advisory locks on well-known keys, and pg_advisory_lock cannot be restricted per key: any
--    role that may call it can take the store's keys and stall ingests or make backfills skip units. What
--    is enforceable is EXECUTE on the lock functions themselves, per database (pg_catalog's functions
--    are per-database objects): taken from PUBLIC, given back to the writer and the owner. Readers (and
--    any other role of this database) then cannot take any advisory lock here; SECURITY DEFINER
--    functions of the store take them as their owner. Only the functions' owner (the bootstrap
--    superuser) can change their privileges, so a non-superuser migrating role skips this step with a
--    notice (README "Roles": the residual risk and the statement to run as a superuser).
do $$
declare
  v_fn regprocedure;
begin
  if not (select rolsuper from pg_roles where rolname = current_user) then
    raise notice 'bqx: advisory lock functions left executable by PUBLIC (migrating role % is not a superuser); a reader can take the store''s locks. Run this migration''s step 3 as a superuser to close it.', current_user;
    return;
  end if;
  for v_fn in
    select p.oid::regprocedure from pg_proc p
    where p.pronamespace = 'pg_catalog'::regnamespace
      and p.proname in ('pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared',
                        'pg_try_advisory_lock', 'pg_try_advisory_lock_shared', 'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared')
  loop
    execute format('revoke execute on function %s from public', v_fn);
    execute format('grant execute on function %s to bqx_writer, bqx_owner', v_fn);
  end loop;
end $$;

-- Down Migration
do $$
declare
  v_fn regprocedure;
begin
  if not (select rolsuper from pg_roles where rolname = current_user) then
    return;
  end if;
  for v_fn in
    select p.oid::regprocedure from pg_proc p
    where p.pronamespace = 'pg_catalog'::regnamespace
      and p.proname in ('pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared',
                        'pg_try_advisory_lock', 'pg_try_advisory_lock_shared', 'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared')
  loop
    execute format('grant execute on function %s to public', v_fn);
    execute format('revoke execute on function %s from bqx_writer, bqx_owner', v_fn);
  end loop;
end $$;
revoke select on table public.bqx_migrations from bqx_reader, bqx_writer;
grant insert, update, delete on
  bqx.settings, bqx.pairs, bqx.families, bqx.feature_catalog, bqx.holidays, bqx.sql_objects
  to bqx_writer;
