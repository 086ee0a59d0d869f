-- Rows per pair in bqx.m1, with their span and how many carry a rate index.
select pair, count(*) as rows, min(ts_utc) as first_ts, max(ts_utc) as last_ts,
       count(rate_index) as indexed, count(bid_close) as with_bid_ask
from bqx.m1 group by pair order by pair;
