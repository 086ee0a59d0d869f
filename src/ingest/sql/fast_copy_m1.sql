-- The fast path: the buffered bars of a file whose range meets no stored bar, straight into {{table}}: the
-- pair's table bqx.m1_<pair> (then record_inserted.sql records them), or bqx.m1 (its triggers record them).
-- Binary COPY of the parsed doubles, bit for bit; the indices computed as insert_m1.sql does.
-- Runs under the pairs' locks, after their partitions and baselines are settled, like insert_m1.sql.
copy {{table}} (pair, ts_utc, open, high, low, close,
                bid_open, bid_high, bid_low, bid_close, ask_open, ask_high, ask_low, ask_close,
                volume, rate_index, open_index, high_index, low_index) from stdin (format binary)
