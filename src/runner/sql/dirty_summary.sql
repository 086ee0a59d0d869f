-- Per family: the pairs with dirty spans waiting for a refresh, how many spans, and the earliest bar.
select family, count(distinct pair)::int as pairs, count(*)::int as spans, min(lower(span)) as earliest
from bqx.dirty_ranges group by family order by family
