-- Staging for one ingest: a temp table (no WAL, private to the session), dropped at commit or rollback.
create temp table bqx_staging (
  line integer not null,
  pair text not null,
  ts_utc timestamptz not null,
  open double precision not null,
  high double precision not null,
  low double precision not null,
  close double precision not null,
  bid_open double precision,
  bid_high double precision,
  bid_low double precision,
  bid_close double precision,
  ask_open double precision,
  ask_high double precision,
  ask_low double precision,
  ask_close double precision,
  volume double precision
) on commit drop;
