-- Up Migration
-- The runner's state (issue 7): per-(pair, family) watermarks, a log of every refresh unit, and the files
-- a watched directory has already delivered.

-- refreshed_through: the last bqx.m1 bar the family has been computed for (NULL: never). dirty_from: the
-- earliest bar whose inputs changed under the watermark (a late bar), set by ingest, cleared by the
-- refresh that recomputes from there. failures / retry_at: consecutive failures and the backoff.
create table bqx.watermarks (
  pair text not null references bqx.pairs (pair),
  family text not null references bqx.families (family),
  refreshed_through timestamptz,
  dirty_from timestamptz,
  failures integer not null default 0 check (failures >= 0),
  retry_at timestamptz,
  last_error text,
  updated_at timestamptz not null default now(),
  primary key (pair, family)
);
comment on table bqx.watermarks is 'per (pair, family): how far the family is computed, what a late bar made dirty, and retry state';

create table bqx.refresh_runs (
  id bigserial primary key,
  pair text not null,
  family text not null,
  range_from timestamptz not null,
  range_to timestamptz not null,
  rows bigint,
  partitions integer,
  started_at timestamptz not null,
  duration_s double precision,
  status text not null check (status in ('ok', 'error', 'skipped')),
  error text,
  trigger text not null check (trigger in ('refresh', 'backfill', 'runner')),
  runner text not null default ''
);
create index refresh_runs_started on bqx.refresh_runs (started_at);
create index refresh_runs_unit on bqx.refresh_runs (pair, family, started_at);
comment on table bqx.refresh_runs is 'one row per refresh unit (pair, family, range): rows, duration, status and error';

create table bqx.ingested_files (
  path text primary key,
  size bigint not null,
  mtime timestamptz not null,
  sha256 text not null,
  rows_inserted bigint not null,
  ingested_at timestamptz not null default now()
);
comment on table bqx.ingested_files is 'files a runner took from its watched directory (re-ingest is harmless; this only saves the work)';

-- Down Migration
drop table bqx.ingested_files;
drop table bqx.refresh_runs;
drop table bqx.watermarks;
