-- The rate indices of $1 pair against its baseline, where they differ (a re-base; rerunnable): the
-- statement trigger records the updated span as dirty for every family (bqx.m1_dirty_update).
update bqx.m1 m
set rate_index = 100 * m.close / b.base_close,
    open_index = 100 * m.open / b.base_close,
    high_index = 100 * m.high / b.base_close,
    low_index = 100 * m.low / b.base_close
from bqx.baselines b
where b.pair = $1 and m.pair = b.pair and b.base_close is not null
  and (m.rate_index is distinct from 100 * m.close / b.base_close
       or m.open_index is distinct from 100 * m.open / b.base_close
       or m.high_index is distinct from 100 * m.high / b.base_close
       or m.low_index is distinct from 100 * m.low / b.base_close)
