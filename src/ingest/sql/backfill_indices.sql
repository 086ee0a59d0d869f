-- Rows of pair $1 stored before its baseline was known get their indices now (its B was just set).
update bqx.m1 m
set rate_index = 100 * m.close / b.base_close,
    open_index = 100 * m.open / b.base_close,
    high_index = 100 * m.high / b.base_close,
    low_index = 100 * m.low / b.base_close
from bqx.baselines b
where b.pair = $1::text and m.pair = $1::text and m.rate_index is null and b.base_close is not null;
