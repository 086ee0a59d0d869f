-- Up Migration
-- Generated from the diff of src/features/catalog against sql/schema/catalog.json by
-- scripts/gen-catalog-migration.ts (npm run gen:catalog-migration). Immutable once merged.

-- New family fibonacci_features: its tables (month partitions are made by the refresh functions on the way).
insert into bqx.families (family, kind, ord, depends_on, lookback_bars, counts_as_feature, description)
select 'fibonacci_features', 'sql', coalesce(max(ord), 0) + 1, array['m1']::text[], 1440, true, 'Fibonacci retracement levels of the rolling swing high and low over 60, 240 and 1440 bars, and the rate index against them'
from bqx.families;
create table bqx."fibonacci_features" (
  pair text not null,
  ts_utc timestamptz not null,
  "fib_dist_236_60" double precision,
  "fib_dist_382_60" double precision,
  "fib_dist_500_60" double precision,
  "fib_dist_618_60" double precision,
  "fib_dist_786_60" double precision,
  "fib_position_60" double precision,
  "fib_dist_236_240" double precision,
  "fib_dist_382_240" double precision,
  "fib_dist_500_240" double precision,
  "fib_dist_618_240" double precision,
  "fib_dist_786_240" double precision,
  "fib_position_240" double precision,
  "fib_dist_236_1440" double precision,
  "fib_dist_382_1440" double precision,
  "fib_dist_500_1440" double precision,
  "fib_dist_618_1440" double precision,
  "fib_dist_786_1440" double precision,
  "fib_position_1440" double precision,
  "fib_nearest_dist" double precision,
  "fib_nearest_level" double precision,
  constraint "fibonacci_features_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."fibonacci_features" is 'Fibonacci retracement levels of the rolling swing high and low over 60, 240 and 1440 bars, and the rate index against them';
create table bqx."fibonacci_features_audcad" partition of bqx."fibonacci_features" for values in ('audcad') partition by range (ts_utc);
create table bqx."fibonacci_features_audchf" partition of bqx."fibonacci_features" for values in ('audchf') partition by range (ts_utc);
create table bqx."fibonacci_features_audjpy" partition of bqx."fibonacci_features" for values in ('audjpy') partition by range (ts_utc);
create table bqx."fibonacci_features_audnzd" partition of bqx."fibonacci_features" for values in ('audnzd') partition by range (ts_utc);
create table bqx."fibonacci_features_audusd" partition of bqx."fibonacci_features" for values in ('audusd') partition by range (ts_utc);
create table bqx."fibonacci_features_cadchf" partition of bqx."fibonacci_features" for values in ('cadchf') partition by range (ts_utc);
create table bqx."fibonacci_features_cadjpy" partition of bqx."fibonacci_features" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."fibonacci_features_chfjpy" partition of bqx."fibonacci_features" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."fibonacci_features_euraud" partition of bqx."fibonacci_features" for values in ('euraud') partition by range (ts_utc);
create table bqx."fibonacci_features_eurcad" partition of bqx."fibonacci_features" for values in ('eurcad') partition by range (ts_utc);
create table bqx."fibonacci_features_eurchf" partition of bqx."fibonacci_features" for values in ('eurchf') partition by range (ts_utc);
create table bqx."fibonacci_features_eurgbp" partition of bqx."fibonacci_features" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."fibonacci_features_eurjpy" partition of bqx."fibonacci_features" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."fibonacci_features_eurnzd" partition of bqx."fibonacci_features" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."fibonacci_features_eurusd" partition of bqx."fibonacci_features" for values in ('eurusd') partition by range (ts_utc);
create table bqx."fibonacci_features_gbpaud" partition of bqx."fibonacci_features" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."fibonacci_features_gbpcad" partition of bqx."fibonacci_features" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."fibonacci_features_gbpchf" partition of bqx."fibonacci_features" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."fibonacci_features_gbpjpy" partition of bqx."fibonacci_features" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."fibonacci_features_gbpnzd" partition of bqx."fibonacci_features" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."fibonacci_features_gbpusd" partition of bqx."fibonacci_features" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."fibonacci_features_nzdcad" partition of bqx."fibonacci_features" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."fibonacci_features_nzdchf" partition of bqx."fibonacci_features" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."fibonacci_features_nzdjpy" partition of bqx."fibonacci_features" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."fibonacci_features_nzdusd" partition of bqx."fibonacci_features" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."fibonacci_features_usdcad" partition of bqx."fibonacci_features" for values in ('usdcad') partition by range (ts_utc);
create table bqx."fibonacci_features_usdchf" partition of bqx."fibonacci_features" for values in ('usdchf') partition by range (ts_utc);
create table bqx."fibonacci_features_usdjpy" partition of bqx."fibonacci_features" for values in ('usdjpy') partition by range (ts_utc);
grant select, insert, update, delete on table bqx."fibonacci_features", bqx."fibonacci_features_audcad", bqx."fibonacci_features_audchf", bqx."fibonacci_features_audjpy", bqx."fibonacci_features_audnzd", bqx."fibonacci_features_audusd", bqx."fibonacci_features_cadchf", bqx."fibonacci_features_cadjpy", bqx."fibonacci_features_chfjpy", bqx."fibonacci_features_euraud", bqx."fibonacci_features_eurcad", bqx."fibonacci_features_eurchf", bqx."fibonacci_features_eurgbp", bqx."fibonacci_features_eurjpy", bqx."fibonacci_features_eurnzd", bqx."fibonacci_features_eurusd", bqx."fibonacci_features_gbpaud", bqx."fibonacci_features_gbpcad", bqx."fibonacci_features_gbpchf", bqx."fibonacci_features_gbpjpy", bqx."fibonacci_features_gbpnzd", bqx."fibonacci_features_gbpusd", bqx."fibonacci_features_nzdcad", bqx."fibonacci_features_nzdchf", bqx."fibonacci_features_nzdjpy", bqx."fibonacci_features_nzdusd", bqx."fibonacci_features_usdcad", bqx."fibonacci_features_usdchf", bqx."fibonacci_features_usdjpy" to bqx_writer, bqx_owner;
grant select on table bqx."fibonacci_features", bqx."fibonacci_features_audcad", bqx."fibonacci_features_audchf", bqx."fibonacci_features_audjpy", bqx."fibonacci_features_audnzd", bqx."fibonacci_features_audusd", bqx."fibonacci_features_cadchf", bqx."fibonacci_features_cadjpy", bqx."fibonacci_features_chfjpy", bqx."fibonacci_features_euraud", bqx."fibonacci_features_eurcad", bqx."fibonacci_features_eurchf", bqx."fibonacci_features_eurgbp", bqx."fibonacci_features_eurjpy", bqx."fibonacci_features_eurnzd", bqx."fibonacci_features_eurusd", bqx."fibonacci_features_gbpaud", bqx."fibonacci_features_gbpcad", bqx."fibonacci_features_gbpchf", bqx."fibonacci_features_gbpjpy", bqx."fibonacci_features_gbpnzd", bqx."fibonacci_features_gbpusd", bqx."fibonacci_features_nzdcad", bqx."fibonacci_features_nzdchf", bqx."fibonacci_features_nzdjpy", bqx."fibonacci_features_nzdusd", bqx."fibonacci_features_usdcad", bqx."fibonacci_features_usdchf", bqx."fibonacci_features_usdjpy" to bqx_reader;

-- Down Migration
drop table bqx."fibonacci_features" cascade;
delete from bqx.feature_catalog where family = 'fibonacci_features';
delete from bqx.families where family = 'fibonacci_features';
