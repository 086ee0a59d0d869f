-- Violations: a continuous feature (its reference month gave it at least 3 distinct quantile edges)
-- that varied the month before and holds one value over a whole month of at least 1,000 values.
select s.pair, s.family, s.column_name, s.month, s.min as value, p.std as previous_std
from bqx.feature_stats s
join bqx.feature_stats p
  on p.pair = s.pair and p.family = s.family and p.column_name = s.column_name
 and p.month = (s.month - interval '1 month')::date
join bqx.feature_stats_edges e
  on e.pair = s.pair and e.family = s.family and e.column_name = s.column_name
where cardinality(e.edges) >= 3
  and s.rows - s.nulls >= 1000
  and s.min = s.max
  and p.max > p.min
order by 1, 2, 3, 4
