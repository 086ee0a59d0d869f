-- Whether an incremental cross unit ($1 family, from $2, advancing its watermark through the last bar
-- before $3 when $3 is not NULL, planned for the dirty spans $4) has meanwhile been done by another
-- runner: the watermark reaches that bar (when the unit advances it) and its spans are gone (the other
-- runner's unit cleared them). A unit that neither advances the watermark nor carries spans is never done.
select ($3::timestamptz is not null or cardinality($4::bigint[]) > 0)
       and ($3::timestamptz is null
            or coalesce(w.refreshed_through >= (
              select max(l.ts)
              from bqx.pairs as p
              cross join lateral (
                select max(m.ts_utc) as ts from bqx.m1 as m where m.pair = p.pair and m.ts_utc >= $2 and m.ts_utc < $3
              ) as l
            ), false))
       and not exists (select 1 from bqx.cross_dirty_ranges as d where d.id = any($4::bigint[])) as current
from bqx.cross_watermarks as w
where w.family = $1
