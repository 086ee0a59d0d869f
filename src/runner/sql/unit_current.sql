-- Whether an incremental unit ($1 pair, $2 family, [$3, $4), planned for the dirty spans $5) has meanwhile
-- been done by another runner: the watermark reaches the range's last bar, no late-bar mark is pending,
-- and the spans it was planned for are gone (the other runner's unit deleted them).
select coalesce(bool_and(w.refreshed_through >= (select max(ts_utc) from bqx.m1 where pair = $1 and ts_utc >= $3 and ts_utc < $4)
                         and w.dirty_from is null), false)
       and not exists (select 1 from bqx.dirty_ranges d where d.id = any($5::bigint[])) as current
from bqx.watermarks w where w.pair = $1 and w.family = $2
