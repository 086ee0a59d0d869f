-- Up Migration
-- Issue 15: migrations are immutable once merged, and now checkably so. bqx migrate records the sha256
-- of every migration it runs (and backfills those applied before it did, from the merged lock
-- sql/schema/migrations.sha256); bqx doctor compares each file with its record, so an edited migration
-- is named instead of going unnoticed (node-pg-migrate compares names only).
create table bqx.migration_checksums (
  name text primary key,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  -- 'ran': hashed from the file as this migrate ran it; 'lock': backfilled from the merged lock;
  -- 'file': backfilled from the file (a migration applied before the upgrade that the lock lacks)
  source text not null check (source in ('ran', 'lock', 'file')),
  recorded_at timestamptz not null default now()
);
comment on table bqx.migration_checksums is 'sha256 of each applied migration, recorded by bqx migrate and checked by bqx doctor';

-- The function signatures a sql/functions file defined when it was last applied: another overload of
-- the same name (left by a signature change) is stale, and migrate drops it. NULL until the file is
-- next applied (migrate re-applies such rows once).
alter table bqx.sql_objects add column signatures text[];

-- Down Migration
alter table bqx.sql_objects drop column signatures;
drop table bqx.migration_checksums;
