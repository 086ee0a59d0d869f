-- The hash threshold of a deterministic sample of one split's rows (all pairs): the rows whose hash
-- of (pair, ts_utc, seed) is at most o_max are the {{rows}} smallest. Unlike a reservoir sample it is
-- the same whatever the thread count, so a build is reproducible from its seed; ranking the hashes
-- needs a narrow scan only, and the wide rows are then filtered, never sorted or copied.
select max(h) as o_max
from (select hash(pair, ts_utc, {{seed}}) as h from read_parquet({{files}}) order by h limit {{rows}})
