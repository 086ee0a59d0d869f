-- Up Migration
-- Generated from the diff of src/features/catalog against sql/schema/catalog.json by
-- scripts/gen-catalog-migration.ts (npm run gen:catalog-migration). Immutable once merged.

-- New family correlation_features: its tables (month partitions are made by the refresh functions on the way).
insert into bqx.families (family, kind, ord, depends_on, lookback_bars, counts_as_feature, description)
select 'correlation_features', 'sql', coalesce(max(ord), 0) + 1, array['m1', 'currency_strength', 'cross_returns']::text[], 240, true, 'Correlations and betas against the currency strengths, peer summaries and the triangular residual (30, 60, 240 grid minutes)'
from bqx.families;
create table bqx."correlation_features" (
  pair text not null,
  ts_utc timestamptz not null,
  "corr_base_30" double precision,
  "corr_quote_30" double precision,
  "beta_base_30" double precision,
  "beta_quote_30" double precision,
  "corr_eur_30" double precision,
  "corr_gbp_30" double precision,
  "corr_aud_30" double precision,
  "corr_nzd_30" double precision,
  "corr_usd_30" double precision,
  "corr_cad_30" double precision,
  "corr_chf_30" double precision,
  "corr_jpy_30" double precision,
  "beta_eur_30" double precision,
  "beta_gbp_30" double precision,
  "beta_aud_30" double precision,
  "beta_nzd_30" double precision,
  "beta_usd_30" double precision,
  "beta_cad_30" double precision,
  "beta_chf_30" double precision,
  "beta_jpy_30" double precision,
  "peer_corr_mean_30" double precision,
  "peer_corr_max_30" double precision,
  "peer_corr_min_30" double precision,
  "peer_corr_std_30" double precision,
  "peer_base_corr_mean_30" double precision,
  "peer_quote_corr_mean_30" double precision,
  "tri_mean_30" double precision,
  "tri_std_30" double precision,
  "tri_z_30" double precision,
  "corr_base_60" double precision,
  "corr_quote_60" double precision,
  "beta_base_60" double precision,
  "beta_quote_60" double precision,
  "corr_eur_60" double precision,
  "corr_gbp_60" double precision,
  "corr_aud_60" double precision,
  "corr_nzd_60" double precision,
  "corr_usd_60" double precision,
  "corr_cad_60" double precision,
  "corr_chf_60" double precision,
  "corr_jpy_60" double precision,
  "beta_eur_60" double precision,
  "beta_gbp_60" double precision,
  "beta_aud_60" double precision,
  "beta_nzd_60" double precision,
  "beta_usd_60" double precision,
  "beta_cad_60" double precision,
  "beta_chf_60" double precision,
  "beta_jpy_60" double precision,
  "peer_corr_mean_60" double precision,
  "peer_corr_max_60" double precision,
  "peer_corr_min_60" double precision,
  "peer_corr_std_60" double precision,
  "peer_base_corr_mean_60" double precision,
  "peer_quote_corr_mean_60" double precision,
  "tri_mean_60" double precision,
  "tri_std_60" double precision,
  "tri_z_60" double precision,
  "corr_base_240" double precision,
  "corr_quote_240" double precision,
  "beta_base_240" double precision,
  "beta_quote_240" double precision,
  "corr_eur_240" double precision,
  "corr_gbp_240" double precision,
  "corr_aud_240" double precision,
  "corr_nzd_240" double precision,
  "corr_usd_240" double precision,
  "corr_cad_240" double precision,
  "corr_chf_240" double precision,
  "corr_jpy_240" double precision,
  "beta_eur_240" double precision,
  "beta_gbp_240" double precision,
  "beta_aud_240" double precision,
  "beta_nzd_240" double precision,
  "beta_usd_240" double precision,
  "beta_cad_240" double precision,
  "beta_chf_240" double precision,
  "beta_jpy_240" double precision,
  "peer_corr_mean_240" double precision,
  "peer_corr_max_240" double precision,
  "peer_corr_min_240" double precision,
  "peer_corr_std_240" double precision,
  "peer_base_corr_mean_240" double precision,
  "peer_quote_corr_mean_240" double precision,
  "tri_mean_240" double precision,
  "tri_std_240" double precision,
  "tri_z_240" double precision,
  "tri_resid" double precision,
  "tri_resid_d1" double precision,
  "peers_live" double precision,
  constraint "correlation_features_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."correlation_features" is 'Correlations and betas against the currency strengths, peer summaries and the triangular residual (30, 60, 240 grid minutes)';
create table bqx."correlation_features_audcad" partition of bqx."correlation_features" for values in ('audcad') partition by range (ts_utc);
create table bqx."correlation_features_audchf" partition of bqx."correlation_features" for values in ('audchf') partition by range (ts_utc);
create table bqx."correlation_features_audjpy" partition of bqx."correlation_features" for values in ('audjpy') partition by range (ts_utc);
create table bqx."correlation_features_audnzd" partition of bqx."correlation_features" for values in ('audnzd') partition by range (ts_utc);
create table bqx."correlation_features_audusd" partition of bqx."correlation_features" for values in ('audusd') partition by range (ts_utc);
create table bqx."correlation_features_cadchf" partition of bqx."correlation_features" for values in ('cadchf') partition by range (ts_utc);
create table bqx."correlation_features_cadjpy" partition of bqx."correlation_features" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."correlation_features_chfjpy" partition of bqx."correlation_features" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."correlation_features_euraud" partition of bqx."correlation_features" for values in ('euraud') partition by range (ts_utc);
create table bqx."correlation_features_eurcad" partition of bqx."correlation_features" for values in ('eurcad') partition by range (ts_utc);
create table bqx."correlation_features_eurchf" partition of bqx."correlation_features" for values in ('eurchf') partition by range (ts_utc);
create table bqx."correlation_features_eurgbp" partition of bqx."correlation_features" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."correlation_features_eurjpy" partition of bqx."correlation_features" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."correlation_features_eurnzd" partition of bqx."correlation_features" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."correlation_features_eurusd" partition of bqx."correlation_features" for values in ('eurusd') partition by range (ts_utc);
create table bqx."correlation_features_gbpaud" partition of bqx."correlation_features" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."correlation_features_gbpcad" partition of bqx."correlation_features" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."correlation_features_gbpchf" partition of bqx."correlation_features" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."correlation_features_gbpjpy" partition of bqx."correlation_features" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."correlation_features_gbpnzd" partition of bqx."correlation_features" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."correlation_features_gbpusd" partition of bqx."correlation_features" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."correlation_features_nzdcad" partition of bqx."correlation_features" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."correlation_features_nzdchf" partition of bqx."correlation_features" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."correlation_features_nzdjpy" partition of bqx."correlation_features" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."correlation_features_nzdusd" partition of bqx."correlation_features" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."correlation_features_usdcad" partition of bqx."correlation_features" for values in ('usdcad') partition by range (ts_utc);
create table bqx."correlation_features_usdchf" partition of bqx."correlation_features" for values in ('usdchf') partition by range (ts_utc);
create table bqx."correlation_features_usdjpy" partition of bqx."correlation_features" for values in ('usdjpy') partition by range (ts_utc);
grant select, insert, update, delete on table bqx."correlation_features", bqx."correlation_features_audcad", bqx."correlation_features_audchf", bqx."correlation_features_audjpy", bqx."correlation_features_audnzd", bqx."correlation_features_audusd", bqx."correlation_features_cadchf", bqx."correlation_features_cadjpy", bqx."correlation_features_chfjpy", bqx."correlation_features_euraud", bqx."correlation_features_eurcad", bqx."correlation_features_eurchf", bqx."correlation_features_eurgbp", bqx."correlation_features_eurjpy", bqx."correlation_features_eurnzd", bqx."correlation_features_eurusd", bqx."correlation_features_gbpaud", bqx."correlation_features_gbpcad", bqx."correlation_features_gbpchf", bqx."correlation_features_gbpjpy", bqx."correlation_features_gbpnzd", bqx."correlation_features_gbpusd", bqx."correlation_features_nzdcad", bqx."correlation_features_nzdchf", bqx."correlation_features_nzdjpy", bqx."correlation_features_nzdusd", bqx."correlation_features_usdcad", bqx."correlation_features_usdchf", bqx."correlation_features_usdjpy" to bqx_writer, bqx_owner;
grant select on table bqx."correlation_features", bqx."correlation_features_audcad", bqx."correlation_features_audchf", bqx."correlation_features_audjpy", bqx."correlation_features_audnzd", bqx."correlation_features_audusd", bqx."correlation_features_cadchf", bqx."correlation_features_cadjpy", bqx."correlation_features_chfjpy", bqx."correlation_features_euraud", bqx."correlation_features_eurcad", bqx."correlation_features_eurchf", bqx."correlation_features_eurgbp", bqx."correlation_features_eurjpy", bqx."correlation_features_eurnzd", bqx."correlation_features_eurusd", bqx."correlation_features_gbpaud", bqx."correlation_features_gbpcad", bqx."correlation_features_gbpchf", bqx."correlation_features_gbpjpy", bqx."correlation_features_gbpnzd", bqx."correlation_features_gbpusd", bqx."correlation_features_nzdcad", bqx."correlation_features_nzdchf", bqx."correlation_features_nzdjpy", bqx."correlation_features_nzdusd", bqx."correlation_features_usdcad", bqx."correlation_features_usdchf", bqx."correlation_features_usdjpy" to bqx_reader;

-- Down Migration
drop table bqx."correlation_features" cascade;
delete from bqx.feature_catalog where family = 'correlation_features';
delete from bqx.families where family = 'correlation_features';
