-- Per family and pair, rows and non-NULL counts of every feature column after the warm-up: bars from the
-- $1-th of the pair's series on (the longest lookback in the store, with the bqx domain's own offset).
select c.family, c.column_name, c.null_rule, x.pair, x.total, x.non_null
from bqx.feature_catalog c
cross join lateral bqx.feature_fill_after(c.family, $1) x
where c.counts_as_feature and x.column_name = c.column_name
order by c.family, c.ord, x.pair
