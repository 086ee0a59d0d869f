-- The completeness check (bqx.feature_completeness) for $1 pairs and $2 families (NULL: all): one row per
-- (pair, family, month) whose bars lack rows (or whose rows lack bars).
select pair, family, month, m1_rows, feature_rows, missing
from bqx.feature_completeness($1::text[], $2::text[])
order by pair, family, month
