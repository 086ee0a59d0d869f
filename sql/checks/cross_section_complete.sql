-- Every grid minute up to a cross-sectional family's watermark has its rows (bqx.cross_completeness):
-- the (family, month)s where they differ. `bqx refresh` (or a runner tick) computes the missing ones.
select family, month, grid_minutes, rows_minutes, missing
from bqx.cross_completeness()
order by family, month
