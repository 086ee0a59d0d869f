-- Up Migration
-- Wave 3: bqx.cross_returns, the aligned cross-section of the 28 pairs: one row per grid minute (a minute
-- at which any pair has a bar) with every pair's close and 1-minute log return as of its last bar, at most
-- CARRY_MINUTES old. correlation_features of a pair reads it (and its own bqx.m1) instead of the other
-- pairs' tables. Keyed by ts_utc alone, partitioned by UTC month (months are made by
-- bqx.ensure_cross_returns_partitions on the way). Written by hand: the catalog migration generator makes
-- per-pair families only. On Citus this table is a reference table (README, "Cross-pair families").
create table bqx.cross_returns (
  ts_utc timestamptz not null,
  "ret_audcad" double precision,
  "ret_audchf" double precision,
  "ret_audjpy" double precision,
  "ret_audnzd" double precision,
  "ret_audusd" double precision,
  "ret_cadchf" double precision,
  "ret_cadjpy" double precision,
  "ret_chfjpy" double precision,
  "ret_euraud" double precision,
  "ret_eurcad" double precision,
  "ret_eurchf" double precision,
  "ret_eurgbp" double precision,
  "ret_eurjpy" double precision,
  "ret_eurnzd" double precision,
  "ret_eurusd" double precision,
  "ret_gbpaud" double precision,
  "ret_gbpcad" double precision,
  "ret_gbpchf" double precision,
  "ret_gbpjpy" double precision,
  "ret_gbpnzd" double precision,
  "ret_gbpusd" double precision,
  "ret_nzdcad" double precision,
  "ret_nzdchf" double precision,
  "ret_nzdjpy" double precision,
  "ret_nzdusd" double precision,
  "ret_usdcad" double precision,
  "ret_usdchf" double precision,
  "ret_usdjpy" double precision,
  "close_audcad" double precision,
  "close_audchf" double precision,
  "close_audjpy" double precision,
  "close_audnzd" double precision,
  "close_audusd" double precision,
  "close_cadchf" double precision,
  "close_cadjpy" double precision,
  "close_chfjpy" double precision,
  "close_euraud" double precision,
  "close_eurcad" double precision,
  "close_eurchf" double precision,
  "close_eurgbp" double precision,
  "close_eurjpy" double precision,
  "close_eurnzd" double precision,
  "close_eurusd" double precision,
  "close_gbpaud" double precision,
  "close_gbpcad" double precision,
  "close_gbpchf" double precision,
  "close_gbpjpy" double precision,
  "close_gbpnzd" double precision,
  "close_gbpusd" double precision,
  "close_nzdcad" double precision,
  "close_nzdchf" double precision,
  "close_nzdjpy" double precision,
  "close_nzdusd" double precision,
  "close_usdcad" double precision,
  "close_usdchf" double precision,
  "close_usdjpy" double precision,
  constraint cross_returns_pkey primary key (ts_utc)
) partition by range (ts_utc);
comment on table bqx.cross_returns is 'Every pair aligned on the grid minute as of its last bar: 28 closes and 28 one-minute log returns per minute';
grant select, insert, update, delete on table bqx.cross_returns to bqx_writer, bqx_owner;
grant select on table bqx.cross_returns to bqx_reader;

-- Down Migration
drop table bqx.cross_returns cascade;
