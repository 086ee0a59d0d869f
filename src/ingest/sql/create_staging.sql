-- Staging for one ingest: temp tables (no WAL, private to the session), dropped at commit or rollback.
-- Partitioned by pair, one partition per known pair: the statements that follow run per pair (so each
-- touches only its own pair's tables in bqx.m1, see ingest.ts) and each reads only its pair's rows.
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
) partition by list (pair) on commit drop;
do $$
declare
  v_pair text;
begin
  for v_pair in select pair from bqx.pairs order by pair loop
    execute format('create temp table %I partition of pg_temp.bqx_staging for values in (%L)', 'bqx_staging_' || v_pair, v_pair);
  end loop;
end $$;
