-- The same baseline table with the primary key bqx.m1 has, for a like-for-like index cost.
create table bench_plain_bars_pk (
  pair text, ts_utc timestamptz, open float8, high float8, low float8, close float8,
  bid_open float8, bid_high float8, bid_low float8, bid_close float8,
  ask_open float8, ask_high float8, ask_low float8, ask_close float8, volume float8,
  primary key (pair, ts_utc)
);
