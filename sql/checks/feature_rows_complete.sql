-- Every bqx.m1 bar has its row in every family table: the (pair, family, month)s where the counts differ
-- (missing > 0: bars without feature rows, e.g. history loaded behind the watermark and never computed;
-- missing < 0: rows for bars gone from bqx.m1). `bqx refresh` computes the missing ones.
select pair, family, month, m1_rows, feature_rows, missing
from bqx.feature_completeness(null, null)
order by pair, family, month
