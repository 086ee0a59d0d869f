-- Whether an incremental unit ($1 pair, $2 family, [$3, $4)) has meanwhile been done by another runner:
-- the watermark reaches the range's last bar and no late-bar mark is pending.
select coalesce(bool_and(w.refreshed_through >= (select max(ts_utc) from bqx.m1 where pair = $1 and ts_utc >= $3 and ts_utc < $4)
                         and w.dirty_from is null), false) as current
from bqx.watermarks w where w.pair = $1 and w.family = $2
