-- Up Migration
-- Wave 3: bqx.currency_strength, the cross-sectional table of the 8 currencies (one series each, derived
-- from all 28 pairs). Keyed by (currency, ts_utc) and partitioned like the pair families with currency
-- in place of pair: LIST (currency), then RANGE (ts_utc) by UTC month (months are made by
-- bqx.ensure_currency_partitions on the way). Written by hand: the catalog migration generator makes
-- per-pair families only. On Citus this table is a reference table (README, "Cross-pair families").
create table bqx.currency_strength (
  currency text not null check (currency in ('eur', 'gbp', 'aud', 'nzd', 'usd', 'cad', 'chf', 'jpy')),
  ts_utc timestamptz not null,
  "strength_level" double precision,
  "strength_ret" double precision,
  "strength_mom_15" double precision,
  "strength_mom_60" double precision,
  "strength_mom_240" double precision,
  "strength_sma_15" double precision,
  "strength_sma_60" double precision,
  "pairs_live" double precision,
  constraint currency_strength_pkey primary key (currency, ts_utc)
) partition by list (currency);
comment on table bqx.currency_strength is 'Strength of each of the 8 currencies against the other seven, per minute, from all 28 pairs aligned as of their last bar';
create table bqx.currency_strength_eur partition of bqx.currency_strength for values in ('eur') partition by range (ts_utc);
create table bqx.currency_strength_gbp partition of bqx.currency_strength for values in ('gbp') partition by range (ts_utc);
create table bqx.currency_strength_aud partition of bqx.currency_strength for values in ('aud') partition by range (ts_utc);
create table bqx.currency_strength_nzd partition of bqx.currency_strength for values in ('nzd') partition by range (ts_utc);
create table bqx.currency_strength_usd partition of bqx.currency_strength for values in ('usd') partition by range (ts_utc);
create table bqx.currency_strength_cad partition of bqx.currency_strength for values in ('cad') partition by range (ts_utc);
create table bqx.currency_strength_chf partition of bqx.currency_strength for values in ('chf') partition by range (ts_utc);
create table bqx.currency_strength_jpy partition of bqx.currency_strength for values in ('jpy') partition by range (ts_utc);
grant select, insert, update, delete on table bqx.currency_strength, bqx.currency_strength_eur, bqx.currency_strength_gbp,
  bqx.currency_strength_aud, bqx.currency_strength_nzd, bqx.currency_strength_usd, bqx.currency_strength_cad,
  bqx.currency_strength_chf, bqx.currency_strength_jpy to bqx_writer, bqx_owner;
grant select on table bqx.currency_strength, bqx.currency_strength_eur, bqx.currency_strength_gbp,
  bqx.currency_strength_aud, bqx.currency_strength_nzd, bqx.currency_strength_usd, bqx.currency_strength_cad,
  bqx.currency_strength_chf, bqx.currency_strength_jpy to bqx_reader;

-- Down Migration
drop table bqx.currency_strength cascade;
