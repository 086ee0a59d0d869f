-- Up Migration
-- Generated from src/features/catalog by scripts/gen-schema-migration.ts, then frozen (migrations are immutable).

create schema if not exists bqx;
comment on schema bqx is 'bqx-store: 1-minute FX bars and the BQX feature families for 28 pairs';

create table bqx.pairs (
  pair text primary key check (pair ~ '^[a-z]{6}$'),
  base text not null,
  quote text not null,
  pip_size double precision not null check (pip_size > 0),
  price_decimals integer not null check (price_decimals between 0 and 10)
);
insert into bqx.pairs (pair, base, quote, pip_size, price_decimals) values
  ('audcad', 'aud', 'cad', 0.0001, 5),
  ('audchf', 'aud', 'chf', 0.0001, 5),
  ('audjpy', 'aud', 'jpy', 0.01, 3),
  ('audnzd', 'aud', 'nzd', 0.0001, 5),
  ('audusd', 'aud', 'usd', 0.0001, 5),
  ('cadchf', 'cad', 'chf', 0.0001, 5),
  ('cadjpy', 'cad', 'jpy', 0.01, 3),
  ('chfjpy', 'chf', 'jpy', 0.01, 3),
  ('euraud', 'eur', 'aud', 0.0001, 5),
  ('eurcad', 'eur', 'cad', 0.0001, 5),
  ('eurchf', 'eur', 'chf', 0.0001, 5),
  ('eurgbp', 'eur', 'gbp', 0.0001, 5),
  ('eurjpy', 'eur', 'jpy', 0.01, 3),
  ('eurnzd', 'eur', 'nzd', 0.0001, 5),
  ('eurusd', 'eur', 'usd', 0.0001, 5),
  ('gbpaud', 'gbp', 'aud', 0.0001, 5),
  ('gbpcad', 'gbp', 'cad', 0.0001, 5),
  ('gbpchf', 'gbp', 'chf', 0.0001, 5),
  ('gbpjpy', 'gbp', 'jpy', 0.01, 3),
  ('gbpnzd', 'gbp', 'nzd', 0.0001, 5),
  ('gbpusd', 'gbp', 'usd', 0.0001, 5),
  ('nzdcad', 'nzd', 'cad', 0.0001, 5),
  ('nzdchf', 'nzd', 'chf', 0.0001, 5),
  ('nzdjpy', 'nzd', 'jpy', 0.01, 3),
  ('nzdusd', 'nzd', 'usd', 0.0001, 5),
  ('usdcad', 'usd', 'cad', 0.0001, 5),
  ('usdchf', 'usd', 'chf', 0.0001, 5),
  ('usdjpy', 'usd', 'jpy', 0.01, 3);

-- Key-value settings a DBA may change with plain SQL; functions read them at call time.
create table bqx.settings (
  key text primary key,
  value text not null,
  description text not null
);
insert into bqx.settings (key, value, description) values
  ('max_future', '7 days', 'bars and partitions further than this beyond now() are refused'),
  ('premake_months', '2', 'empty monthly partitions made ahead of the last month that holds data'),
  ('retention_months', '0', 'months of partitions kept by retention (0 = keep everything)'),
  ('default_base_instant', '2024-07-01 00:00:00+00', 'base instant of the rate index for pairs without their own');

-- Spec section 2: B = close of the pair's first bar at or after base_instant. Established by the first
-- ingest that holds such a bar, then constant (it is configuration, not data).
create table bqx.baselines (
  pair text primary key references bqx.pairs (pair),
  base_instant timestamptz not null default '2024-07-01 00:00:00+00',
  base_close double precision check (base_close > 0 and base_close < 'Infinity'::float8),
  base_ts timestamptz,
  established_at timestamptz,
  check ((base_close is null) = (base_ts is null))
);
insert into bqx.baselines (pair) select pair from bqx.pairs;

create table bqx.families (
  family text primary key check (family ~ '^[a-z][a-z0-9_]*$'),
  kind text not null check (kind in ('base', 'sql', 'ts', 'labels')),
  ord integer not null unique,
  depends_on text[] not null,
  lookback_bars integer not null check (lookback_bars >= 0),
  counts_as_feature boolean not null,
  description text not null
);
insert into bqx.families (family, kind, ord, depends_on, lookback_bars, counts_as_feature, description) values
  ('m1', 'base', 1, array[]::text[], 0, false, '1-minute bars: mid, bid and ask OHLC, tick volume and the rate indices against the pair baseline'),
  ('bqx', 'sql', 2, array['m1']::text[], 75, false, 'BQX momentum of the rate index over the W bars before t'),
  ('bollinger_rate', 'sql', 3, array['m1']::text[], 50, true, 'Bollinger bands of the rate domain over 20 and 50 bars'),
  ('bollinger_bqx', 'sql', 4, array['bqx']::text[], 50, true, 'Bollinger bands of the bqx domain over 20 and 50 bars'),
  ('statistics_rate', 'sql', 5, array['m1']::text[], 120, true, 'Rolling moments of the rate domain over 20, 50 and 120 bars'),
  ('statistics_bqx', 'sql', 6, array['bqx']::text[], 120, true, 'Rolling moments of the bqx domain over 20, 50 and 120 bars'),
  ('volume_features', 'sql', 7, array['m1', 'bqx']::text[], 121, true, 'Tick-volume features in the rate and bqx domains over 5, 15, 30, 60 and 120 bars'),
  ('spread_features', 'sql', 8, array['m1']::text[], 240, true, 'Bid/ask spread level, dispersion, regime and microstructure estimators'),
  ('time_features', 'sql', 9, array['m1']::text[], 1, true, 'Sessions, cyclical time encodings, calendar flags and bank-holiday distances (UTC)'),
  ('reg_rate', 'sql', 10, array['m1']::text[], 90, true, 'Rolling quadratic least-squares fits of rate_index over the W bars ending at t'),
  ('reg_bqx', 'sql', 11, array['bqx']::text[], 90, true, 'Rolling quadratic least-squares fits of w15_bqx_return over the W bars ending at t'),
  ('technical_rate', 'ts', 12, array['m1']::text[], 2000, true, 'Technical indicators on H/L/C = high_index/low_index/rate_index, computed in TypeScript'),
  ('technical_bqx', 'ts', 13, array['bqx', 'm1']::text[], 2000, true, 'Technical indicators on H = L = C = w15_bqx_return, computed in TypeScript'),
  ('labels', 'labels', 14, array['bqx']::text[], 0, false, 'Forward BQX targets: the only place the future is read');

-- One row per column of every family; kept in step with src/features/catalog by `bqx migrate`.
create table bqx.feature_catalog (
  family text not null references bqx.families (family),
  column_name text not null,
  ord integer not null,
  domain text not null,
  window_bars integer,
  formula text not null,
  null_rule text not null,
  laggable boolean not null,
  convention text,
  counts_as_feature boolean not null,
  primary key (family, column_name)
);

-- Checksums of the sql/ files applied after the migrations, and a hash of the live definition at that
-- time, so `bqx doctor` can tell a changed file from an object someone edited in the database.
create table bqx.sql_objects (
  path text primary key,
  object_name text not null,
  kind text not null check (kind in ('function', 'view')),
  checksum text not null,
  live_md5 text not null,
  applied_at timestamptz not null default now()
);

create table bqx."m1" (
  pair text not null,
  ts_utc timestamptz not null,
  "open" double precision not null,
  "high" double precision not null,
  "low" double precision not null,
  "close" double precision not null,
  "bid_open" double precision,
  "bid_high" double precision,
  "bid_low" double precision,
  "bid_close" double precision,
  "ask_open" double precision,
  "ask_high" double precision,
  "ask_low" double precision,
  "ask_close" double precision,
  "volume" double precision,
  "rate_index" double precision,
  "open_index" double precision,
  "high_index" double precision,
  "low_index" double precision,
  constraint m1_mid_ohlc check ((open is null or (open > 0 and open < 'Infinity'::float8 and high > 0 and high < 'Infinity'::float8 and low > 0 and low < 'Infinity'::float8 and close > 0 and close < 'Infinity'::float8 and high >= greatest(open, close) and low <= least(open, close)))),
  constraint m1_bid_ohlc check ((bid_open is null or (bid_open > 0 and bid_open < 'Infinity'::float8 and bid_high > 0 and bid_high < 'Infinity'::float8 and bid_low > 0 and bid_low < 'Infinity'::float8 and bid_close > 0 and bid_close < 'Infinity'::float8 and bid_high >= greatest(bid_open, bid_close) and bid_low <= least(bid_open, bid_close)))),
  constraint m1_ask_ohlc check ((ask_open is null or (ask_open > 0 and ask_open < 'Infinity'::float8 and ask_high > 0 and ask_high < 'Infinity'::float8 and ask_low > 0 and ask_low < 'Infinity'::float8 and ask_close > 0 and ask_close < 'Infinity'::float8 and ask_high >= greatest(ask_open, ask_close) and ask_low <= least(ask_open, ask_close)))),
  constraint m1_bid_le_ask check (bid_close is null or ask_close is null or bid_close <= ask_close),
  constraint m1_volume check (volume is null or (volume >= 0 and volume < 'Infinity'::float8)),
  constraint m1_on_minute check (date_trunc('minute', ts_utc at time zone 'UTC') = (ts_utc at time zone 'UTC')),
  constraint "m1_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."m1" is '1-minute bars: mid, bid and ask OHLC, tick volume and the rate indices against the pair baseline';
create table bqx."m1_audcad" partition of bqx."m1" for values in ('audcad') partition by range (ts_utc);
create table bqx."m1_audchf" partition of bqx."m1" for values in ('audchf') partition by range (ts_utc);
create table bqx."m1_audjpy" partition of bqx."m1" for values in ('audjpy') partition by range (ts_utc);
create table bqx."m1_audnzd" partition of bqx."m1" for values in ('audnzd') partition by range (ts_utc);
create table bqx."m1_audusd" partition of bqx."m1" for values in ('audusd') partition by range (ts_utc);
create table bqx."m1_cadchf" partition of bqx."m1" for values in ('cadchf') partition by range (ts_utc);
create table bqx."m1_cadjpy" partition of bqx."m1" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."m1_chfjpy" partition of bqx."m1" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."m1_euraud" partition of bqx."m1" for values in ('euraud') partition by range (ts_utc);
create table bqx."m1_eurcad" partition of bqx."m1" for values in ('eurcad') partition by range (ts_utc);
create table bqx."m1_eurchf" partition of bqx."m1" for values in ('eurchf') partition by range (ts_utc);
create table bqx."m1_eurgbp" partition of bqx."m1" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."m1_eurjpy" partition of bqx."m1" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."m1_eurnzd" partition of bqx."m1" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."m1_eurusd" partition of bqx."m1" for values in ('eurusd') partition by range (ts_utc);
create table bqx."m1_gbpaud" partition of bqx."m1" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."m1_gbpcad" partition of bqx."m1" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."m1_gbpchf" partition of bqx."m1" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."m1_gbpjpy" partition of bqx."m1" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."m1_gbpnzd" partition of bqx."m1" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."m1_gbpusd" partition of bqx."m1" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."m1_nzdcad" partition of bqx."m1" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."m1_nzdchf" partition of bqx."m1" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."m1_nzdjpy" partition of bqx."m1" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."m1_nzdusd" partition of bqx."m1" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."m1_usdcad" partition of bqx."m1" for values in ('usdcad') partition by range (ts_utc);
create table bqx."m1_usdchf" partition of bqx."m1" for values in ('usdchf') partition by range (ts_utc);
create table bqx."m1_usdjpy" partition of bqx."m1" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."bqx" (
  pair text not null,
  ts_utc timestamptz not null,
  "w15_bqx_return" double precision,
  "w15_bqx_max_index" double precision,
  "w15_bqx_min_index" double precision,
  "w15_bqx_avg_index" double precision,
  "w15_bqx_stdev_index" double precision,
  "w15_bqx_endpoint" double precision,
  "w30_bqx_return" double precision,
  "w30_bqx_max_index" double precision,
  "w30_bqx_min_index" double precision,
  "w30_bqx_avg_index" double precision,
  "w30_bqx_stdev_index" double precision,
  "w30_bqx_endpoint" double precision,
  "w45_bqx_return" double precision,
  "w45_bqx_max_index" double precision,
  "w45_bqx_min_index" double precision,
  "w45_bqx_avg_index" double precision,
  "w45_bqx_stdev_index" double precision,
  "w45_bqx_endpoint" double precision,
  "w60_bqx_return" double precision,
  "w60_bqx_max_index" double precision,
  "w60_bqx_min_index" double precision,
  "w60_bqx_avg_index" double precision,
  "w60_bqx_stdev_index" double precision,
  "w60_bqx_endpoint" double precision,
  "w75_bqx_return" double precision,
  "w75_bqx_max_index" double precision,
  "w75_bqx_min_index" double precision,
  "w75_bqx_avg_index" double precision,
  "w75_bqx_stdev_index" double precision,
  "w75_bqx_endpoint" double precision,
  "agg_bqx_return" double precision,
  "agg_bqx_max_index" double precision,
  "agg_bqx_min_index" double precision,
  "agg_bqx_avg_index" double precision,
  "agg_bqx_stdev_index" double precision,
  "agg_bqx_range" double precision,
  "agg_bqx_volatility" double precision,
  constraint "bqx_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."bqx" is 'BQX momentum of the rate index over the W bars before t';
create table bqx."bqx_audcad" partition of bqx."bqx" for values in ('audcad') partition by range (ts_utc);
create table bqx."bqx_audchf" partition of bqx."bqx" for values in ('audchf') partition by range (ts_utc);
create table bqx."bqx_audjpy" partition of bqx."bqx" for values in ('audjpy') partition by range (ts_utc);
create table bqx."bqx_audnzd" partition of bqx."bqx" for values in ('audnzd') partition by range (ts_utc);
create table bqx."bqx_audusd" partition of bqx."bqx" for values in ('audusd') partition by range (ts_utc);
create table bqx."bqx_cadchf" partition of bqx."bqx" for values in ('cadchf') partition by range (ts_utc);
create table bqx."bqx_cadjpy" partition of bqx."bqx" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."bqx_chfjpy" partition of bqx."bqx" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."bqx_euraud" partition of bqx."bqx" for values in ('euraud') partition by range (ts_utc);
create table bqx."bqx_eurcad" partition of bqx."bqx" for values in ('eurcad') partition by range (ts_utc);
create table bqx."bqx_eurchf" partition of bqx."bqx" for values in ('eurchf') partition by range (ts_utc);
create table bqx."bqx_eurgbp" partition of bqx."bqx" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."bqx_eurjpy" partition of bqx."bqx" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."bqx_eurnzd" partition of bqx."bqx" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."bqx_eurusd" partition of bqx."bqx" for values in ('eurusd') partition by range (ts_utc);
create table bqx."bqx_gbpaud" partition of bqx."bqx" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."bqx_gbpcad" partition of bqx."bqx" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."bqx_gbpchf" partition of bqx."bqx" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."bqx_gbpjpy" partition of bqx."bqx" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."bqx_gbpnzd" partition of bqx."bqx" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."bqx_gbpusd" partition of bqx."bqx" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."bqx_nzdcad" partition of bqx."bqx" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."bqx_nzdchf" partition of bqx."bqx" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."bqx_nzdjpy" partition of bqx."bqx" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."bqx_nzdusd" partition of bqx."bqx" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."bqx_usdcad" partition of bqx."bqx" for values in ('usdcad') partition by range (ts_utc);
create table bqx."bqx_usdchf" partition of bqx."bqx" for values in ('usdchf') partition by range (ts_utc);
create table bqx."bqx_usdjpy" partition of bqx."bqx" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."bollinger_rate" (
  pair text not null,
  ts_utc timestamptz not null,
  "bb_upper_20" double precision,
  "bb_middle_20" double precision,
  "bb_lower_20" double precision,
  "bb_bandwidth_20" double precision,
  "bb_percent_b_20" double precision,
  "bb_upper_50" double precision,
  "bb_middle_50" double precision,
  "bb_lower_50" double precision,
  "bb_bandwidth_50" double precision,
  "bb_percent_b_50" double precision,
  constraint "bollinger_rate_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."bollinger_rate" is 'Bollinger bands of the rate domain over 20 and 50 bars';
create table bqx."bollinger_rate_audcad" partition of bqx."bollinger_rate" for values in ('audcad') partition by range (ts_utc);
create table bqx."bollinger_rate_audchf" partition of bqx."bollinger_rate" for values in ('audchf') partition by range (ts_utc);
create table bqx."bollinger_rate_audjpy" partition of bqx."bollinger_rate" for values in ('audjpy') partition by range (ts_utc);
create table bqx."bollinger_rate_audnzd" partition of bqx."bollinger_rate" for values in ('audnzd') partition by range (ts_utc);
create table bqx."bollinger_rate_audusd" partition of bqx."bollinger_rate" for values in ('audusd') partition by range (ts_utc);
create table bqx."bollinger_rate_cadchf" partition of bqx."bollinger_rate" for values in ('cadchf') partition by range (ts_utc);
create table bqx."bollinger_rate_cadjpy" partition of bqx."bollinger_rate" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."bollinger_rate_chfjpy" partition of bqx."bollinger_rate" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."bollinger_rate_euraud" partition of bqx."bollinger_rate" for values in ('euraud') partition by range (ts_utc);
create table bqx."bollinger_rate_eurcad" partition of bqx."bollinger_rate" for values in ('eurcad') partition by range (ts_utc);
create table bqx."bollinger_rate_eurchf" partition of bqx."bollinger_rate" for values in ('eurchf') partition by range (ts_utc);
create table bqx."bollinger_rate_eurgbp" partition of bqx."bollinger_rate" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."bollinger_rate_eurjpy" partition of bqx."bollinger_rate" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."bollinger_rate_eurnzd" partition of bqx."bollinger_rate" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."bollinger_rate_eurusd" partition of bqx."bollinger_rate" for values in ('eurusd') partition by range (ts_utc);
create table bqx."bollinger_rate_gbpaud" partition of bqx."bollinger_rate" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."bollinger_rate_gbpcad" partition of bqx."bollinger_rate" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."bollinger_rate_gbpchf" partition of bqx."bollinger_rate" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."bollinger_rate_gbpjpy" partition of bqx."bollinger_rate" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."bollinger_rate_gbpnzd" partition of bqx."bollinger_rate" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."bollinger_rate_gbpusd" partition of bqx."bollinger_rate" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."bollinger_rate_nzdcad" partition of bqx."bollinger_rate" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."bollinger_rate_nzdchf" partition of bqx."bollinger_rate" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."bollinger_rate_nzdjpy" partition of bqx."bollinger_rate" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."bollinger_rate_nzdusd" partition of bqx."bollinger_rate" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."bollinger_rate_usdcad" partition of bqx."bollinger_rate" for values in ('usdcad') partition by range (ts_utc);
create table bqx."bollinger_rate_usdchf" partition of bqx."bollinger_rate" for values in ('usdchf') partition by range (ts_utc);
create table bqx."bollinger_rate_usdjpy" partition of bqx."bollinger_rate" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."bollinger_bqx" (
  pair text not null,
  ts_utc timestamptz not null,
  "bb_upper_20" double precision,
  "bb_middle_20" double precision,
  "bb_lower_20" double precision,
  "bb_bandwidth_20" double precision,
  "bb_percent_b_20" double precision,
  "bb_upper_50" double precision,
  "bb_middle_50" double precision,
  "bb_lower_50" double precision,
  "bb_bandwidth_50" double precision,
  "bb_percent_b_50" double precision,
  constraint "bollinger_bqx_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."bollinger_bqx" is 'Bollinger bands of the bqx domain over 20 and 50 bars';
create table bqx."bollinger_bqx_audcad" partition of bqx."bollinger_bqx" for values in ('audcad') partition by range (ts_utc);
create table bqx."bollinger_bqx_audchf" partition of bqx."bollinger_bqx" for values in ('audchf') partition by range (ts_utc);
create table bqx."bollinger_bqx_audjpy" partition of bqx."bollinger_bqx" for values in ('audjpy') partition by range (ts_utc);
create table bqx."bollinger_bqx_audnzd" partition of bqx."bollinger_bqx" for values in ('audnzd') partition by range (ts_utc);
create table bqx."bollinger_bqx_audusd" partition of bqx."bollinger_bqx" for values in ('audusd') partition by range (ts_utc);
create table bqx."bollinger_bqx_cadchf" partition of bqx."bollinger_bqx" for values in ('cadchf') partition by range (ts_utc);
create table bqx."bollinger_bqx_cadjpy" partition of bqx."bollinger_bqx" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."bollinger_bqx_chfjpy" partition of bqx."bollinger_bqx" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."bollinger_bqx_euraud" partition of bqx."bollinger_bqx" for values in ('euraud') partition by range (ts_utc);
create table bqx."bollinger_bqx_eurcad" partition of bqx."bollinger_bqx" for values in ('eurcad') partition by range (ts_utc);
create table bqx."bollinger_bqx_eurchf" partition of bqx."bollinger_bqx" for values in ('eurchf') partition by range (ts_utc);
create table bqx."bollinger_bqx_eurgbp" partition of bqx."bollinger_bqx" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."bollinger_bqx_eurjpy" partition of bqx."bollinger_bqx" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."bollinger_bqx_eurnzd" partition of bqx."bollinger_bqx" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."bollinger_bqx_eurusd" partition of bqx."bollinger_bqx" for values in ('eurusd') partition by range (ts_utc);
create table bqx."bollinger_bqx_gbpaud" partition of bqx."bollinger_bqx" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."bollinger_bqx_gbpcad" partition of bqx."bollinger_bqx" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."bollinger_bqx_gbpchf" partition of bqx."bollinger_bqx" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."bollinger_bqx_gbpjpy" partition of bqx."bollinger_bqx" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."bollinger_bqx_gbpnzd" partition of bqx."bollinger_bqx" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."bollinger_bqx_gbpusd" partition of bqx."bollinger_bqx" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."bollinger_bqx_nzdcad" partition of bqx."bollinger_bqx" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."bollinger_bqx_nzdchf" partition of bqx."bollinger_bqx" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."bollinger_bqx_nzdjpy" partition of bqx."bollinger_bqx" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."bollinger_bqx_nzdusd" partition of bqx."bollinger_bqx" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."bollinger_bqx_usdcad" partition of bqx."bollinger_bqx" for values in ('usdcad') partition by range (ts_utc);
create table bqx."bollinger_bqx_usdchf" partition of bqx."bollinger_bqx" for values in ('usdchf') partition by range (ts_utc);
create table bqx."bollinger_bqx_usdjpy" partition of bqx."bollinger_bqx" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."statistics_rate" (
  pair text not null,
  ts_utc timestamptz not null,
  "mean_20" double precision,
  "std_20" double precision,
  "skew_20" double precision,
  "kurt_20" double precision,
  "min_20" double precision,
  "max_20" double precision,
  "range_20" double precision,
  "zscore_20" double precision,
  "mean_50" double precision,
  "std_50" double precision,
  "skew_50" double precision,
  "kurt_50" double precision,
  "min_50" double precision,
  "max_50" double precision,
  "range_50" double precision,
  "zscore_50" double precision,
  "mean_120" double precision,
  "std_120" double precision,
  "skew_120" double precision,
  "kurt_120" double precision,
  "min_120" double precision,
  "max_120" double precision,
  "range_120" double precision,
  "zscore_120" double precision,
  constraint "statistics_rate_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."statistics_rate" is 'Rolling moments of the rate domain over 20, 50 and 120 bars';
create table bqx."statistics_rate_audcad" partition of bqx."statistics_rate" for values in ('audcad') partition by range (ts_utc);
create table bqx."statistics_rate_audchf" partition of bqx."statistics_rate" for values in ('audchf') partition by range (ts_utc);
create table bqx."statistics_rate_audjpy" partition of bqx."statistics_rate" for values in ('audjpy') partition by range (ts_utc);
create table bqx."statistics_rate_audnzd" partition of bqx."statistics_rate" for values in ('audnzd') partition by range (ts_utc);
create table bqx."statistics_rate_audusd" partition of bqx."statistics_rate" for values in ('audusd') partition by range (ts_utc);
create table bqx."statistics_rate_cadchf" partition of bqx."statistics_rate" for values in ('cadchf') partition by range (ts_utc);
create table bqx."statistics_rate_cadjpy" partition of bqx."statistics_rate" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."statistics_rate_chfjpy" partition of bqx."statistics_rate" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."statistics_rate_euraud" partition of bqx."statistics_rate" for values in ('euraud') partition by range (ts_utc);
create table bqx."statistics_rate_eurcad" partition of bqx."statistics_rate" for values in ('eurcad') partition by range (ts_utc);
create table bqx."statistics_rate_eurchf" partition of bqx."statistics_rate" for values in ('eurchf') partition by range (ts_utc);
create table bqx."statistics_rate_eurgbp" partition of bqx."statistics_rate" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."statistics_rate_eurjpy" partition of bqx."statistics_rate" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."statistics_rate_eurnzd" partition of bqx."statistics_rate" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."statistics_rate_eurusd" partition of bqx."statistics_rate" for values in ('eurusd') partition by range (ts_utc);
create table bqx."statistics_rate_gbpaud" partition of bqx."statistics_rate" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."statistics_rate_gbpcad" partition of bqx."statistics_rate" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."statistics_rate_gbpchf" partition of bqx."statistics_rate" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."statistics_rate_gbpjpy" partition of bqx."statistics_rate" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."statistics_rate_gbpnzd" partition of bqx."statistics_rate" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."statistics_rate_gbpusd" partition of bqx."statistics_rate" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."statistics_rate_nzdcad" partition of bqx."statistics_rate" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."statistics_rate_nzdchf" partition of bqx."statistics_rate" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."statistics_rate_nzdjpy" partition of bqx."statistics_rate" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."statistics_rate_nzdusd" partition of bqx."statistics_rate" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."statistics_rate_usdcad" partition of bqx."statistics_rate" for values in ('usdcad') partition by range (ts_utc);
create table bqx."statistics_rate_usdchf" partition of bqx."statistics_rate" for values in ('usdchf') partition by range (ts_utc);
create table bqx."statistics_rate_usdjpy" partition of bqx."statistics_rate" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."statistics_bqx" (
  pair text not null,
  ts_utc timestamptz not null,
  "mean_20" double precision,
  "std_20" double precision,
  "skew_20" double precision,
  "kurt_20" double precision,
  "min_20" double precision,
  "max_20" double precision,
  "range_20" double precision,
  "zscore_20" double precision,
  "mean_50" double precision,
  "std_50" double precision,
  "skew_50" double precision,
  "kurt_50" double precision,
  "min_50" double precision,
  "max_50" double precision,
  "range_50" double precision,
  "zscore_50" double precision,
  "mean_120" double precision,
  "std_120" double precision,
  "skew_120" double precision,
  "kurt_120" double precision,
  "min_120" double precision,
  "max_120" double precision,
  "range_120" double precision,
  "zscore_120" double precision,
  constraint "statistics_bqx_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."statistics_bqx" is 'Rolling moments of the bqx domain over 20, 50 and 120 bars';
create table bqx."statistics_bqx_audcad" partition of bqx."statistics_bqx" for values in ('audcad') partition by range (ts_utc);
create table bqx."statistics_bqx_audchf" partition of bqx."statistics_bqx" for values in ('audchf') partition by range (ts_utc);
create table bqx."statistics_bqx_audjpy" partition of bqx."statistics_bqx" for values in ('audjpy') partition by range (ts_utc);
create table bqx."statistics_bqx_audnzd" partition of bqx."statistics_bqx" for values in ('audnzd') partition by range (ts_utc);
create table bqx."statistics_bqx_audusd" partition of bqx."statistics_bqx" for values in ('audusd') partition by range (ts_utc);
create table bqx."statistics_bqx_cadchf" partition of bqx."statistics_bqx" for values in ('cadchf') partition by range (ts_utc);
create table bqx."statistics_bqx_cadjpy" partition of bqx."statistics_bqx" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."statistics_bqx_chfjpy" partition of bqx."statistics_bqx" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."statistics_bqx_euraud" partition of bqx."statistics_bqx" for values in ('euraud') partition by range (ts_utc);
create table bqx."statistics_bqx_eurcad" partition of bqx."statistics_bqx" for values in ('eurcad') partition by range (ts_utc);
create table bqx."statistics_bqx_eurchf" partition of bqx."statistics_bqx" for values in ('eurchf') partition by range (ts_utc);
create table bqx."statistics_bqx_eurgbp" partition of bqx."statistics_bqx" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."statistics_bqx_eurjpy" partition of bqx."statistics_bqx" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."statistics_bqx_eurnzd" partition of bqx."statistics_bqx" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."statistics_bqx_eurusd" partition of bqx."statistics_bqx" for values in ('eurusd') partition by range (ts_utc);
create table bqx."statistics_bqx_gbpaud" partition of bqx."statistics_bqx" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."statistics_bqx_gbpcad" partition of bqx."statistics_bqx" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."statistics_bqx_gbpchf" partition of bqx."statistics_bqx" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."statistics_bqx_gbpjpy" partition of bqx."statistics_bqx" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."statistics_bqx_gbpnzd" partition of bqx."statistics_bqx" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."statistics_bqx_gbpusd" partition of bqx."statistics_bqx" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."statistics_bqx_nzdcad" partition of bqx."statistics_bqx" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."statistics_bqx_nzdchf" partition of bqx."statistics_bqx" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."statistics_bqx_nzdjpy" partition of bqx."statistics_bqx" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."statistics_bqx_nzdusd" partition of bqx."statistics_bqx" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."statistics_bqx_usdcad" partition of bqx."statistics_bqx" for values in ('usdcad') partition by range (ts_utc);
create table bqx."statistics_bqx_usdchf" partition of bqx."statistics_bqx" for values in ('usdchf') partition by range (ts_utc);
create table bqx."statistics_bqx_usdjpy" partition of bqx."statistics_bqx" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."volume_features" (
  pair text not null,
  ts_utc timestamptz not null,
  "rate_vwap_dev_5" double precision,
  "rate_pv_corr_5" double precision,
  "rate_vm_div_5" double precision,
  "rate_updown_ratio_5" double precision,
  "rate_imbalance_5" double precision,
  "rate_vol_cv_5" double precision,
  "rate_vol_trend_5" double precision,
  "rate_vwap_dev_15" double precision,
  "rate_pv_corr_15" double precision,
  "rate_vm_div_15" double precision,
  "rate_updown_ratio_15" double precision,
  "rate_imbalance_15" double precision,
  "rate_vol_cv_15" double precision,
  "rate_vol_trend_15" double precision,
  "rate_vwap_dev_30" double precision,
  "rate_pv_corr_30" double precision,
  "rate_vm_div_30" double precision,
  "rate_updown_ratio_30" double precision,
  "rate_imbalance_30" double precision,
  "rate_vol_cv_30" double precision,
  "rate_vol_trend_30" double precision,
  "rate_vwap_dev_60" double precision,
  "rate_pv_corr_60" double precision,
  "rate_vm_div_60" double precision,
  "rate_updown_ratio_60" double precision,
  "rate_imbalance_60" double precision,
  "rate_vol_cv_60" double precision,
  "rate_vol_trend_60" double precision,
  "rate_vwap_dev_120" double precision,
  "rate_pv_corr_120" double precision,
  "rate_vm_div_120" double precision,
  "rate_updown_ratio_120" double precision,
  "rate_imbalance_120" double precision,
  "rate_vol_cv_120" double precision,
  "rate_vol_trend_120" double precision,
  "bqx_vwap_dev_5" double precision,
  "bqx_pv_corr_5" double precision,
  "bqx_vm_div_5" double precision,
  "bqx_updown_ratio_5" double precision,
  "bqx_imbalance_5" double precision,
  "bqx_signed_delta_5" double precision,
  "bqx_vol_spike_5" double precision,
  "bqx_vwap_dev_15" double precision,
  "bqx_pv_corr_15" double precision,
  "bqx_vm_div_15" double precision,
  "bqx_updown_ratio_15" double precision,
  "bqx_imbalance_15" double precision,
  "bqx_signed_delta_15" double precision,
  "bqx_vol_spike_15" double precision,
  "bqx_vwap_dev_30" double precision,
  "bqx_pv_corr_30" double precision,
  "bqx_vm_div_30" double precision,
  "bqx_updown_ratio_30" double precision,
  "bqx_imbalance_30" double precision,
  "bqx_signed_delta_30" double precision,
  "bqx_vol_spike_30" double precision,
  "bqx_vwap_dev_60" double precision,
  "bqx_pv_corr_60" double precision,
  "bqx_vm_div_60" double precision,
  "bqx_updown_ratio_60" double precision,
  "bqx_imbalance_60" double precision,
  "bqx_signed_delta_60" double precision,
  "bqx_vol_spike_60" double precision,
  "bqx_vwap_dev_120" double precision,
  "bqx_pv_corr_120" double precision,
  "bqx_vm_div_120" double precision,
  "bqx_updown_ratio_120" double precision,
  "bqx_imbalance_120" double precision,
  "bqx_signed_delta_120" double precision,
  "bqx_vol_spike_120" double precision,
  constraint "volume_features_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."volume_features" is 'Tick-volume features in the rate and bqx domains over 5, 15, 30, 60 and 120 bars';
create table bqx."volume_features_audcad" partition of bqx."volume_features" for values in ('audcad') partition by range (ts_utc);
create table bqx."volume_features_audchf" partition of bqx."volume_features" for values in ('audchf') partition by range (ts_utc);
create table bqx."volume_features_audjpy" partition of bqx."volume_features" for values in ('audjpy') partition by range (ts_utc);
create table bqx."volume_features_audnzd" partition of bqx."volume_features" for values in ('audnzd') partition by range (ts_utc);
create table bqx."volume_features_audusd" partition of bqx."volume_features" for values in ('audusd') partition by range (ts_utc);
create table bqx."volume_features_cadchf" partition of bqx."volume_features" for values in ('cadchf') partition by range (ts_utc);
create table bqx."volume_features_cadjpy" partition of bqx."volume_features" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."volume_features_chfjpy" partition of bqx."volume_features" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."volume_features_euraud" partition of bqx."volume_features" for values in ('euraud') partition by range (ts_utc);
create table bqx."volume_features_eurcad" partition of bqx."volume_features" for values in ('eurcad') partition by range (ts_utc);
create table bqx."volume_features_eurchf" partition of bqx."volume_features" for values in ('eurchf') partition by range (ts_utc);
create table bqx."volume_features_eurgbp" partition of bqx."volume_features" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."volume_features_eurjpy" partition of bqx."volume_features" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."volume_features_eurnzd" partition of bqx."volume_features" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."volume_features_eurusd" partition of bqx."volume_features" for values in ('eurusd') partition by range (ts_utc);
create table bqx."volume_features_gbpaud" partition of bqx."volume_features" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."volume_features_gbpcad" partition of bqx."volume_features" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."volume_features_gbpchf" partition of bqx."volume_features" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."volume_features_gbpjpy" partition of bqx."volume_features" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."volume_features_gbpnzd" partition of bqx."volume_features" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."volume_features_gbpusd" partition of bqx."volume_features" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."volume_features_nzdcad" partition of bqx."volume_features" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."volume_features_nzdchf" partition of bqx."volume_features" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."volume_features_nzdjpy" partition of bqx."volume_features" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."volume_features_nzdusd" partition of bqx."volume_features" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."volume_features_usdcad" partition of bqx."volume_features" for values in ('usdcad') partition by range (ts_utc);
create table bqx."volume_features_usdchf" partition of bqx."volume_features" for values in ('usdchf') partition by range (ts_utc);
create table bqx."volume_features_usdjpy" partition of bqx."volume_features" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."spread_features" (
  pair text not null,
  ts_utc timestamptz not null,
  "spread" double precision,
  "spread_pct" double precision,
  "spread_pips" double precision,
  "spread_mean_20" double precision,
  "spread_std_20" double precision,
  "spread_z_20" double precision,
  "spread_min_20" double precision,
  "spread_max_20" double precision,
  "spread_range_20" double precision,
  "spread_pctile_20" double precision,
  "spread_trend_20" double precision,
  "spread_mean_60" double precision,
  "spread_std_60" double precision,
  "spread_z_60" double precision,
  "spread_min_60" double precision,
  "spread_max_60" double precision,
  "spread_range_60" double precision,
  "spread_pctile_60" double precision,
  "spread_trend_60" double precision,
  "spread_change_1" double precision,
  "spread_change_5" double precision,
  "spread_change_pct_1" double precision,
  "spread_open_close" double precision,
  "spread_spike" double precision,
  "spread_compression" double precision,
  "spread_regime" double precision,
  "spread_rel_20" double precision,
  "spread_skew_60" double precision,
  "roll_cost_60" double precision,
  "effective_spread_20" double precision,
  "corwin_schultz_20" double precision,
  "mid_volatility_20" double precision,
  "mid_volatility_60" double precision,
  "spread_volume_corr_60" double precision,
  "spread_return_corr_60" double precision,
  constraint "spread_features_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."spread_features" is 'Bid/ask spread level, dispersion, regime and microstructure estimators';
create table bqx."spread_features_audcad" partition of bqx."spread_features" for values in ('audcad') partition by range (ts_utc);
create table bqx."spread_features_audchf" partition of bqx."spread_features" for values in ('audchf') partition by range (ts_utc);
create table bqx."spread_features_audjpy" partition of bqx."spread_features" for values in ('audjpy') partition by range (ts_utc);
create table bqx."spread_features_audnzd" partition of bqx."spread_features" for values in ('audnzd') partition by range (ts_utc);
create table bqx."spread_features_audusd" partition of bqx."spread_features" for values in ('audusd') partition by range (ts_utc);
create table bqx."spread_features_cadchf" partition of bqx."spread_features" for values in ('cadchf') partition by range (ts_utc);
create table bqx."spread_features_cadjpy" partition of bqx."spread_features" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."spread_features_chfjpy" partition of bqx."spread_features" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."spread_features_euraud" partition of bqx."spread_features" for values in ('euraud') partition by range (ts_utc);
create table bqx."spread_features_eurcad" partition of bqx."spread_features" for values in ('eurcad') partition by range (ts_utc);
create table bqx."spread_features_eurchf" partition of bqx."spread_features" for values in ('eurchf') partition by range (ts_utc);
create table bqx."spread_features_eurgbp" partition of bqx."spread_features" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."spread_features_eurjpy" partition of bqx."spread_features" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."spread_features_eurnzd" partition of bqx."spread_features" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."spread_features_eurusd" partition of bqx."spread_features" for values in ('eurusd') partition by range (ts_utc);
create table bqx."spread_features_gbpaud" partition of bqx."spread_features" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."spread_features_gbpcad" partition of bqx."spread_features" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."spread_features_gbpchf" partition of bqx."spread_features" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."spread_features_gbpjpy" partition of bqx."spread_features" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."spread_features_gbpnzd" partition of bqx."spread_features" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."spread_features_gbpusd" partition of bqx."spread_features" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."spread_features_nzdcad" partition of bqx."spread_features" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."spread_features_nzdchf" partition of bqx."spread_features" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."spread_features_nzdjpy" partition of bqx."spread_features" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."spread_features_nzdusd" partition of bqx."spread_features" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."spread_features_usdcad" partition of bqx."spread_features" for values in ('usdcad') partition by range (ts_utc);
create table bqx."spread_features_usdchf" partition of bqx."spread_features" for values in ('usdchf') partition by range (ts_utc);
create table bqx."spread_features_usdjpy" partition of bqx."spread_features" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."time_features" (
  pair text not null,
  ts_utc timestamptz not null,
  "is_tokyo" double precision,
  "is_london" double precision,
  "is_new_york" double precision,
  "is_london_ny_overlap" double precision,
  "hour_utc" double precision,
  "minutes_since_session_open" double precision,
  "minutes_to_session_close" double precision,
  "hour_sin" double precision,
  "hour_cos" double precision,
  "minute_of_day_sin" double precision,
  "minute_of_day_cos" double precision,
  "day_of_week_sin" double precision,
  "day_of_week_cos" double precision,
  "day_of_week" double precision,
  "is_month_end" double precision,
  "is_week_roll" double precision,
  "days_to_us_holiday" double precision,
  "days_to_uk_holiday" double precision,
  "days_to_jp_holiday" double precision,
  "minutes_since_prev_bar" double precision,
  constraint "time_features_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."time_features" is 'Sessions, cyclical time encodings, calendar flags and bank-holiday distances (UTC)';
create table bqx."time_features_audcad" partition of bqx."time_features" for values in ('audcad') partition by range (ts_utc);
create table bqx."time_features_audchf" partition of bqx."time_features" for values in ('audchf') partition by range (ts_utc);
create table bqx."time_features_audjpy" partition of bqx."time_features" for values in ('audjpy') partition by range (ts_utc);
create table bqx."time_features_audnzd" partition of bqx."time_features" for values in ('audnzd') partition by range (ts_utc);
create table bqx."time_features_audusd" partition of bqx."time_features" for values in ('audusd') partition by range (ts_utc);
create table bqx."time_features_cadchf" partition of bqx."time_features" for values in ('cadchf') partition by range (ts_utc);
create table bqx."time_features_cadjpy" partition of bqx."time_features" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."time_features_chfjpy" partition of bqx."time_features" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."time_features_euraud" partition of bqx."time_features" for values in ('euraud') partition by range (ts_utc);
create table bqx."time_features_eurcad" partition of bqx."time_features" for values in ('eurcad') partition by range (ts_utc);
create table bqx."time_features_eurchf" partition of bqx."time_features" for values in ('eurchf') partition by range (ts_utc);
create table bqx."time_features_eurgbp" partition of bqx."time_features" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."time_features_eurjpy" partition of bqx."time_features" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."time_features_eurnzd" partition of bqx."time_features" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."time_features_eurusd" partition of bqx."time_features" for values in ('eurusd') partition by range (ts_utc);
create table bqx."time_features_gbpaud" partition of bqx."time_features" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."time_features_gbpcad" partition of bqx."time_features" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."time_features_gbpchf" partition of bqx."time_features" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."time_features_gbpjpy" partition of bqx."time_features" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."time_features_gbpnzd" partition of bqx."time_features" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."time_features_gbpusd" partition of bqx."time_features" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."time_features_nzdcad" partition of bqx."time_features" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."time_features_nzdchf" partition of bqx."time_features" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."time_features_nzdjpy" partition of bqx."time_features" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."time_features_nzdusd" partition of bqx."time_features" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."time_features_usdcad" partition of bqx."time_features" for values in ('usdcad') partition by range (ts_utc);
create table bqx."time_features_usdchf" partition of bqx."time_features" for values in ('usdchf') partition by range (ts_utc);
create table bqx."time_features_usdjpy" partition of bqx."time_features" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."reg_rate" (
  pair text not null,
  ts_utc timestamptz not null,
  "a2_idx_w15" double precision,
  "a1_idx_w15" double precision,
  "b_idx_w15" double precision,
  "r2_idx_w15" double precision,
  "rmse_idx_w15" double precision,
  "residual_mean_idx_w15" double precision,
  "residual_std_idx_w15" double precision,
  "prediction_idx_w15" double precision,
  "pi_lower_idx_w15" double precision,
  "pi_upper_idx_w15" double precision,
  "vertex_x_idx_w15" double precision,
  "vertex_y_idx_w15" double precision,
  "curvature_idx_w15" double precision,
  "fit_quality_idx_w15" double precision,
  "extrapolation_error_idx_w15" double precision,
  "a2_idx_w30" double precision,
  "a1_idx_w30" double precision,
  "b_idx_w30" double precision,
  "r2_idx_w30" double precision,
  "rmse_idx_w30" double precision,
  "residual_mean_idx_w30" double precision,
  "residual_std_idx_w30" double precision,
  "prediction_idx_w30" double precision,
  "pi_lower_idx_w30" double precision,
  "pi_upper_idx_w30" double precision,
  "vertex_x_idx_w30" double precision,
  "vertex_y_idx_w30" double precision,
  "curvature_idx_w30" double precision,
  "fit_quality_idx_w30" double precision,
  "extrapolation_error_idx_w30" double precision,
  "a2_idx_w45" double precision,
  "a1_idx_w45" double precision,
  "b_idx_w45" double precision,
  "r2_idx_w45" double precision,
  "rmse_idx_w45" double precision,
  "residual_mean_idx_w45" double precision,
  "residual_std_idx_w45" double precision,
  "prediction_idx_w45" double precision,
  "pi_lower_idx_w45" double precision,
  "pi_upper_idx_w45" double precision,
  "vertex_x_idx_w45" double precision,
  "vertex_y_idx_w45" double precision,
  "curvature_idx_w45" double precision,
  "fit_quality_idx_w45" double precision,
  "extrapolation_error_idx_w45" double precision,
  "a2_idx_w60" double precision,
  "a1_idx_w60" double precision,
  "b_idx_w60" double precision,
  "r2_idx_w60" double precision,
  "rmse_idx_w60" double precision,
  "residual_mean_idx_w60" double precision,
  "residual_std_idx_w60" double precision,
  "prediction_idx_w60" double precision,
  "pi_lower_idx_w60" double precision,
  "pi_upper_idx_w60" double precision,
  "vertex_x_idx_w60" double precision,
  "vertex_y_idx_w60" double precision,
  "curvature_idx_w60" double precision,
  "fit_quality_idx_w60" double precision,
  "extrapolation_error_idx_w60" double precision,
  "a2_idx_w75" double precision,
  "a1_idx_w75" double precision,
  "b_idx_w75" double precision,
  "r2_idx_w75" double precision,
  "rmse_idx_w75" double precision,
  "residual_mean_idx_w75" double precision,
  "residual_std_idx_w75" double precision,
  "prediction_idx_w75" double precision,
  "pi_lower_idx_w75" double precision,
  "pi_upper_idx_w75" double precision,
  "vertex_x_idx_w75" double precision,
  "vertex_y_idx_w75" double precision,
  "curvature_idx_w75" double precision,
  "fit_quality_idx_w75" double precision,
  "extrapolation_error_idx_w75" double precision,
  "a2_idx_agg" double precision,
  "a1_idx_agg" double precision,
  "b_idx_agg" double precision,
  "r2_idx_agg" double precision,
  "rmse_idx_agg" double precision,
  "residual_mean_idx_agg" double precision,
  "residual_std_idx_agg" double precision,
  "prediction_idx_agg" double precision,
  "pi_lower_idx_agg" double precision,
  "pi_upper_idx_agg" double precision,
  "vertex_x_idx_agg" double precision,
  "vertex_y_idx_agg" double precision,
  "curvature_idx_agg" double precision,
  "fit_quality_idx_agg" double precision,
  "extrapolation_error_idx_agg" double precision,
  constraint "reg_rate_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."reg_rate" is 'Rolling quadratic least-squares fits of rate_index over the W bars ending at t';
create table bqx."reg_rate_audcad" partition of bqx."reg_rate" for values in ('audcad') partition by range (ts_utc);
create table bqx."reg_rate_audchf" partition of bqx."reg_rate" for values in ('audchf') partition by range (ts_utc);
create table bqx."reg_rate_audjpy" partition of bqx."reg_rate" for values in ('audjpy') partition by range (ts_utc);
create table bqx."reg_rate_audnzd" partition of bqx."reg_rate" for values in ('audnzd') partition by range (ts_utc);
create table bqx."reg_rate_audusd" partition of bqx."reg_rate" for values in ('audusd') partition by range (ts_utc);
create table bqx."reg_rate_cadchf" partition of bqx."reg_rate" for values in ('cadchf') partition by range (ts_utc);
create table bqx."reg_rate_cadjpy" partition of bqx."reg_rate" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."reg_rate_chfjpy" partition of bqx."reg_rate" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."reg_rate_euraud" partition of bqx."reg_rate" for values in ('euraud') partition by range (ts_utc);
create table bqx."reg_rate_eurcad" partition of bqx."reg_rate" for values in ('eurcad') partition by range (ts_utc);
create table bqx."reg_rate_eurchf" partition of bqx."reg_rate" for values in ('eurchf') partition by range (ts_utc);
create table bqx."reg_rate_eurgbp" partition of bqx."reg_rate" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."reg_rate_eurjpy" partition of bqx."reg_rate" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."reg_rate_eurnzd" partition of bqx."reg_rate" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."reg_rate_eurusd" partition of bqx."reg_rate" for values in ('eurusd') partition by range (ts_utc);
create table bqx."reg_rate_gbpaud" partition of bqx."reg_rate" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."reg_rate_gbpcad" partition of bqx."reg_rate" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."reg_rate_gbpchf" partition of bqx."reg_rate" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."reg_rate_gbpjpy" partition of bqx."reg_rate" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."reg_rate_gbpnzd" partition of bqx."reg_rate" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."reg_rate_gbpusd" partition of bqx."reg_rate" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."reg_rate_nzdcad" partition of bqx."reg_rate" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."reg_rate_nzdchf" partition of bqx."reg_rate" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."reg_rate_nzdjpy" partition of bqx."reg_rate" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."reg_rate_nzdusd" partition of bqx."reg_rate" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."reg_rate_usdcad" partition of bqx."reg_rate" for values in ('usdcad') partition by range (ts_utc);
create table bqx."reg_rate_usdchf" partition of bqx."reg_rate" for values in ('usdchf') partition by range (ts_utc);
create table bqx."reg_rate_usdjpy" partition of bqx."reg_rate" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."reg_bqx" (
  pair text not null,
  ts_utc timestamptz not null,
  "a2_bqx_w15" double precision,
  "a1_bqx_w15" double precision,
  "b_bqx_w15" double precision,
  "r2_bqx_w15" double precision,
  "rmse_bqx_w15" double precision,
  "residual_mean_bqx_w15" double precision,
  "residual_std_bqx_w15" double precision,
  "prediction_bqx_w15" double precision,
  "pi_lower_bqx_w15" double precision,
  "pi_upper_bqx_w15" double precision,
  "vertex_x_bqx_w15" double precision,
  "vertex_y_bqx_w15" double precision,
  "curvature_bqx_w15" double precision,
  "fit_quality_bqx_w15" double precision,
  "extrapolation_error_bqx_w15" double precision,
  "a2_bqx_w30" double precision,
  "a1_bqx_w30" double precision,
  "b_bqx_w30" double precision,
  "r2_bqx_w30" double precision,
  "rmse_bqx_w30" double precision,
  "residual_mean_bqx_w30" double precision,
  "residual_std_bqx_w30" double precision,
  "prediction_bqx_w30" double precision,
  "pi_lower_bqx_w30" double precision,
  "pi_upper_bqx_w30" double precision,
  "vertex_x_bqx_w30" double precision,
  "vertex_y_bqx_w30" double precision,
  "curvature_bqx_w30" double precision,
  "fit_quality_bqx_w30" double precision,
  "extrapolation_error_bqx_w30" double precision,
  "a2_bqx_w45" double precision,
  "a1_bqx_w45" double precision,
  "b_bqx_w45" double precision,
  "r2_bqx_w45" double precision,
  "rmse_bqx_w45" double precision,
  "residual_mean_bqx_w45" double precision,
  "residual_std_bqx_w45" double precision,
  "prediction_bqx_w45" double precision,
  "pi_lower_bqx_w45" double precision,
  "pi_upper_bqx_w45" double precision,
  "vertex_x_bqx_w45" double precision,
  "vertex_y_bqx_w45" double precision,
  "curvature_bqx_w45" double precision,
  "fit_quality_bqx_w45" double precision,
  "extrapolation_error_bqx_w45" double precision,
  "a2_bqx_w60" double precision,
  "a1_bqx_w60" double precision,
  "b_bqx_w60" double precision,
  "r2_bqx_w60" double precision,
  "rmse_bqx_w60" double precision,
  "residual_mean_bqx_w60" double precision,
  "residual_std_bqx_w60" double precision,
  "prediction_bqx_w60" double precision,
  "pi_lower_bqx_w60" double precision,
  "pi_upper_bqx_w60" double precision,
  "vertex_x_bqx_w60" double precision,
  "vertex_y_bqx_w60" double precision,
  "curvature_bqx_w60" double precision,
  "fit_quality_bqx_w60" double precision,
  "extrapolation_error_bqx_w60" double precision,
  "a2_bqx_w75" double precision,
  "a1_bqx_w75" double precision,
  "b_bqx_w75" double precision,
  "r2_bqx_w75" double precision,
  "rmse_bqx_w75" double precision,
  "residual_mean_bqx_w75" double precision,
  "residual_std_bqx_w75" double precision,
  "prediction_bqx_w75" double precision,
  "pi_lower_bqx_w75" double precision,
  "pi_upper_bqx_w75" double precision,
  "vertex_x_bqx_w75" double precision,
  "vertex_y_bqx_w75" double precision,
  "curvature_bqx_w75" double precision,
  "fit_quality_bqx_w75" double precision,
  "extrapolation_error_bqx_w75" double precision,
  "a2_bqx_agg" double precision,
  "a1_bqx_agg" double precision,
  "b_bqx_agg" double precision,
  "r2_bqx_agg" double precision,
  "rmse_bqx_agg" double precision,
  "residual_mean_bqx_agg" double precision,
  "residual_std_bqx_agg" double precision,
  "prediction_bqx_agg" double precision,
  "pi_lower_bqx_agg" double precision,
  "pi_upper_bqx_agg" double precision,
  "vertex_x_bqx_agg" double precision,
  "vertex_y_bqx_agg" double precision,
  "curvature_bqx_agg" double precision,
  "fit_quality_bqx_agg" double precision,
  "extrapolation_error_bqx_agg" double precision,
  constraint "reg_bqx_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."reg_bqx" is 'Rolling quadratic least-squares fits of w15_bqx_return over the W bars ending at t';
create table bqx."reg_bqx_audcad" partition of bqx."reg_bqx" for values in ('audcad') partition by range (ts_utc);
create table bqx."reg_bqx_audchf" partition of bqx."reg_bqx" for values in ('audchf') partition by range (ts_utc);
create table bqx."reg_bqx_audjpy" partition of bqx."reg_bqx" for values in ('audjpy') partition by range (ts_utc);
create table bqx."reg_bqx_audnzd" partition of bqx."reg_bqx" for values in ('audnzd') partition by range (ts_utc);
create table bqx."reg_bqx_audusd" partition of bqx."reg_bqx" for values in ('audusd') partition by range (ts_utc);
create table bqx."reg_bqx_cadchf" partition of bqx."reg_bqx" for values in ('cadchf') partition by range (ts_utc);
create table bqx."reg_bqx_cadjpy" partition of bqx."reg_bqx" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."reg_bqx_chfjpy" partition of bqx."reg_bqx" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."reg_bqx_euraud" partition of bqx."reg_bqx" for values in ('euraud') partition by range (ts_utc);
create table bqx."reg_bqx_eurcad" partition of bqx."reg_bqx" for values in ('eurcad') partition by range (ts_utc);
create table bqx."reg_bqx_eurchf" partition of bqx."reg_bqx" for values in ('eurchf') partition by range (ts_utc);
create table bqx."reg_bqx_eurgbp" partition of bqx."reg_bqx" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."reg_bqx_eurjpy" partition of bqx."reg_bqx" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."reg_bqx_eurnzd" partition of bqx."reg_bqx" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."reg_bqx_eurusd" partition of bqx."reg_bqx" for values in ('eurusd') partition by range (ts_utc);
create table bqx."reg_bqx_gbpaud" partition of bqx."reg_bqx" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."reg_bqx_gbpcad" partition of bqx."reg_bqx" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."reg_bqx_gbpchf" partition of bqx."reg_bqx" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."reg_bqx_gbpjpy" partition of bqx."reg_bqx" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."reg_bqx_gbpnzd" partition of bqx."reg_bqx" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."reg_bqx_gbpusd" partition of bqx."reg_bqx" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."reg_bqx_nzdcad" partition of bqx."reg_bqx" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."reg_bqx_nzdchf" partition of bqx."reg_bqx" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."reg_bqx_nzdjpy" partition of bqx."reg_bqx" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."reg_bqx_nzdusd" partition of bqx."reg_bqx" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."reg_bqx_usdcad" partition of bqx."reg_bqx" for values in ('usdcad') partition by range (ts_utc);
create table bqx."reg_bqx_usdchf" partition of bqx."reg_bqx" for values in ('usdchf') partition by range (ts_utc);
create table bqx."reg_bqx_usdjpy" partition of bqx."reg_bqx" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."technical_rate" (
  pair text not null,
  ts_utc timestamptz not null,
  "rsi_14" double precision,
  "rsi_21" double precision,
  "macd_line" double precision,
  "macd_signal" double precision,
  "macd_histogram" double precision,
  "stoch_k_14" double precision,
  "stoch_d_3" double precision,
  "adx_14" double precision,
  "plus_di_14" double precision,
  "minus_di_14" double precision,
  "cci_20" double precision,
  "williams_r_14" double precision,
  "roc_12" double precision,
  "atr_14" double precision,
  "atr_pct_14" double precision,
  "ema_10" double precision,
  "ema_20" double precision,
  "ema_50" double precision,
  "sma_10" double precision,
  "sma_20" double precision,
  "sma_50" double precision,
  "momentum_10" double precision,
  "trix_15" double precision,
  "keltner_upper_20" double precision,
  "keltner_lower_20" double precision,
  "donchian_upper_20" double precision,
  "donchian_lower_20" double precision,
  "mfi_14" double precision,
  "obv" double precision,
  "awesome_oscillator" double precision,
  constraint "technical_rate_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."technical_rate" is 'Technical indicators on H/L/C = high_index/low_index/rate_index, computed in TypeScript';
create table bqx."technical_rate_audcad" partition of bqx."technical_rate" for values in ('audcad') partition by range (ts_utc);
create table bqx."technical_rate_audchf" partition of bqx."technical_rate" for values in ('audchf') partition by range (ts_utc);
create table bqx."technical_rate_audjpy" partition of bqx."technical_rate" for values in ('audjpy') partition by range (ts_utc);
create table bqx."technical_rate_audnzd" partition of bqx."technical_rate" for values in ('audnzd') partition by range (ts_utc);
create table bqx."technical_rate_audusd" partition of bqx."technical_rate" for values in ('audusd') partition by range (ts_utc);
create table bqx."technical_rate_cadchf" partition of bqx."technical_rate" for values in ('cadchf') partition by range (ts_utc);
create table bqx."technical_rate_cadjpy" partition of bqx."technical_rate" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."technical_rate_chfjpy" partition of bqx."technical_rate" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."technical_rate_euraud" partition of bqx."technical_rate" for values in ('euraud') partition by range (ts_utc);
create table bqx."technical_rate_eurcad" partition of bqx."technical_rate" for values in ('eurcad') partition by range (ts_utc);
create table bqx."technical_rate_eurchf" partition of bqx."technical_rate" for values in ('eurchf') partition by range (ts_utc);
create table bqx."technical_rate_eurgbp" partition of bqx."technical_rate" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."technical_rate_eurjpy" partition of bqx."technical_rate" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."technical_rate_eurnzd" partition of bqx."technical_rate" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."technical_rate_eurusd" partition of bqx."technical_rate" for values in ('eurusd') partition by range (ts_utc);
create table bqx."technical_rate_gbpaud" partition of bqx."technical_rate" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."technical_rate_gbpcad" partition of bqx."technical_rate" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."technical_rate_gbpchf" partition of bqx."technical_rate" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."technical_rate_gbpjpy" partition of bqx."technical_rate" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."technical_rate_gbpnzd" partition of bqx."technical_rate" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."technical_rate_gbpusd" partition of bqx."technical_rate" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."technical_rate_nzdcad" partition of bqx."technical_rate" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."technical_rate_nzdchf" partition of bqx."technical_rate" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."technical_rate_nzdjpy" partition of bqx."technical_rate" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."technical_rate_nzdusd" partition of bqx."technical_rate" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."technical_rate_usdcad" partition of bqx."technical_rate" for values in ('usdcad') partition by range (ts_utc);
create table bqx."technical_rate_usdchf" partition of bqx."technical_rate" for values in ('usdchf') partition by range (ts_utc);
create table bqx."technical_rate_usdjpy" partition of bqx."technical_rate" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."technical_bqx" (
  pair text not null,
  ts_utc timestamptz not null,
  "rsi_14" double precision,
  "rsi_21" double precision,
  "macd_line" double precision,
  "macd_signal" double precision,
  "macd_histogram" double precision,
  "stoch_k_14" double precision,
  "stoch_d_3" double precision,
  "adx_14" double precision,
  "plus_di_14" double precision,
  "minus_di_14" double precision,
  "cci_20" double precision,
  "williams_r_14" double precision,
  "roc_12" double precision,
  "atr_14" double precision,
  "atr_pct_14" double precision,
  "ema_10" double precision,
  "ema_20" double precision,
  "ema_50" double precision,
  "sma_10" double precision,
  "sma_20" double precision,
  "sma_50" double precision,
  "momentum_10" double precision,
  "trix_15" double precision,
  "keltner_upper_20" double precision,
  "keltner_lower_20" double precision,
  "donchian_upper_20" double precision,
  "donchian_lower_20" double precision,
  "mfi_14" double precision,
  "obv" double precision,
  "awesome_oscillator" double precision,
  constraint "technical_bqx_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."technical_bqx" is 'Technical indicators on H = L = C = w15_bqx_return, computed in TypeScript';
create table bqx."technical_bqx_audcad" partition of bqx."technical_bqx" for values in ('audcad') partition by range (ts_utc);
create table bqx."technical_bqx_audchf" partition of bqx."technical_bqx" for values in ('audchf') partition by range (ts_utc);
create table bqx."technical_bqx_audjpy" partition of bqx."technical_bqx" for values in ('audjpy') partition by range (ts_utc);
create table bqx."technical_bqx_audnzd" partition of bqx."technical_bqx" for values in ('audnzd') partition by range (ts_utc);
create table bqx."technical_bqx_audusd" partition of bqx."technical_bqx" for values in ('audusd') partition by range (ts_utc);
create table bqx."technical_bqx_cadchf" partition of bqx."technical_bqx" for values in ('cadchf') partition by range (ts_utc);
create table bqx."technical_bqx_cadjpy" partition of bqx."technical_bqx" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."technical_bqx_chfjpy" partition of bqx."technical_bqx" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."technical_bqx_euraud" partition of bqx."technical_bqx" for values in ('euraud') partition by range (ts_utc);
create table bqx."technical_bqx_eurcad" partition of bqx."technical_bqx" for values in ('eurcad') partition by range (ts_utc);
create table bqx."technical_bqx_eurchf" partition of bqx."technical_bqx" for values in ('eurchf') partition by range (ts_utc);
create table bqx."technical_bqx_eurgbp" partition of bqx."technical_bqx" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."technical_bqx_eurjpy" partition of bqx."technical_bqx" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."technical_bqx_eurnzd" partition of bqx."technical_bqx" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."technical_bqx_eurusd" partition of bqx."technical_bqx" for values in ('eurusd') partition by range (ts_utc);
create table bqx."technical_bqx_gbpaud" partition of bqx."technical_bqx" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."technical_bqx_gbpcad" partition of bqx."technical_bqx" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."technical_bqx_gbpchf" partition of bqx."technical_bqx" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."technical_bqx_gbpjpy" partition of bqx."technical_bqx" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."technical_bqx_gbpnzd" partition of bqx."technical_bqx" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."technical_bqx_gbpusd" partition of bqx."technical_bqx" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."technical_bqx_nzdcad" partition of bqx."technical_bqx" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."technical_bqx_nzdchf" partition of bqx."technical_bqx" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."technical_bqx_nzdjpy" partition of bqx."technical_bqx" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."technical_bqx_nzdusd" partition of bqx."technical_bqx" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."technical_bqx_usdcad" partition of bqx."technical_bqx" for values in ('usdcad') partition by range (ts_utc);
create table bqx."technical_bqx_usdchf" partition of bqx."technical_bqx" for values in ('usdchf') partition by range (ts_utc);
create table bqx."technical_bqx_usdjpy" partition of bqx."technical_bqx" for values in ('usdjpy') partition by range (ts_utc);

create table bqx."labels" (
  pair text not null,
  ts_utc timestamptz not null,
  "bqx_w60_lead_15" double precision,
  "d_bqx_w60_15" double precision,
  "bqx_w60_lead_30" double precision,
  "d_bqx_w60_30" double precision,
  "bqx_w60_lead_45" double precision,
  "d_bqx_w60_45" double precision,
  "bqx_w60_lead_60" double precision,
  "d_bqx_w60_60" double precision,
  "bqx_w60_lead_75" double precision,
  "d_bqx_w60_75" double precision,
  constraint "labels_pkey" primary key (pair, ts_utc)
) partition by list (pair);
comment on table bqx."labels" is 'Forward BQX targets: the only place the future is read';
create table bqx."labels_audcad" partition of bqx."labels" for values in ('audcad') partition by range (ts_utc);
create table bqx."labels_audchf" partition of bqx."labels" for values in ('audchf') partition by range (ts_utc);
create table bqx."labels_audjpy" partition of bqx."labels" for values in ('audjpy') partition by range (ts_utc);
create table bqx."labels_audnzd" partition of bqx."labels" for values in ('audnzd') partition by range (ts_utc);
create table bqx."labels_audusd" partition of bqx."labels" for values in ('audusd') partition by range (ts_utc);
create table bqx."labels_cadchf" partition of bqx."labels" for values in ('cadchf') partition by range (ts_utc);
create table bqx."labels_cadjpy" partition of bqx."labels" for values in ('cadjpy') partition by range (ts_utc);
create table bqx."labels_chfjpy" partition of bqx."labels" for values in ('chfjpy') partition by range (ts_utc);
create table bqx."labels_euraud" partition of bqx."labels" for values in ('euraud') partition by range (ts_utc);
create table bqx."labels_eurcad" partition of bqx."labels" for values in ('eurcad') partition by range (ts_utc);
create table bqx."labels_eurchf" partition of bqx."labels" for values in ('eurchf') partition by range (ts_utc);
create table bqx."labels_eurgbp" partition of bqx."labels" for values in ('eurgbp') partition by range (ts_utc);
create table bqx."labels_eurjpy" partition of bqx."labels" for values in ('eurjpy') partition by range (ts_utc);
create table bqx."labels_eurnzd" partition of bqx."labels" for values in ('eurnzd') partition by range (ts_utc);
create table bqx."labels_eurusd" partition of bqx."labels" for values in ('eurusd') partition by range (ts_utc);
create table bqx."labels_gbpaud" partition of bqx."labels" for values in ('gbpaud') partition by range (ts_utc);
create table bqx."labels_gbpcad" partition of bqx."labels" for values in ('gbpcad') partition by range (ts_utc);
create table bqx."labels_gbpchf" partition of bqx."labels" for values in ('gbpchf') partition by range (ts_utc);
create table bqx."labels_gbpjpy" partition of bqx."labels" for values in ('gbpjpy') partition by range (ts_utc);
create table bqx."labels_gbpnzd" partition of bqx."labels" for values in ('gbpnzd') partition by range (ts_utc);
create table bqx."labels_gbpusd" partition of bqx."labels" for values in ('gbpusd') partition by range (ts_utc);
create table bqx."labels_nzdcad" partition of bqx."labels" for values in ('nzdcad') partition by range (ts_utc);
create table bqx."labels_nzdchf" partition of bqx."labels" for values in ('nzdchf') partition by range (ts_utc);
create table bqx."labels_nzdjpy" partition of bqx."labels" for values in ('nzdjpy') partition by range (ts_utc);
create table bqx."labels_nzdusd" partition of bqx."labels" for values in ('nzdusd') partition by range (ts_utc);
create table bqx."labels_usdcad" partition of bqx."labels" for values in ('usdcad') partition by range (ts_utc);
create table bqx."labels_usdchf" partition of bqx."labels" for values in ('usdchf') partition by range (ts_utc);
create table bqx."labels_usdjpy" partition of bqx."labels" for values in ('usdjpy') partition by range (ts_utc);

-- Down Migration
drop schema bqx cascade;
