-- Baseline target for the ingest benchmark: the generic CSV's columns, one unpartitioned table.
create table bench_plain_bars (
  pair text, ts_utc timestamptz, open float8, high float8, low float8, close float8,
  bid_open float8, bid_high float8, bid_low float8, bid_close float8,
  ask_open float8, ask_high float8, ask_low float8, ask_close float8, volume float8
);
