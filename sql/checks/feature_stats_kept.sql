-- Violations: a feature family computed for a pair (it has a watermark) whose newest month lacks
-- bqx.feature_stats rows for some of its catalog columns: the runner did not keep the statistics.
select w.pair, w.family, date_trunc('month', w.refreshed_through, 'UTC')::date as month,
       count(distinct c.column_name) as columns, count(distinct s.column_name) as with_stats
from bqx.watermarks w
join bqx.feature_catalog c on c.family = w.family and c.counts_as_feature
left join bqx.feature_stats s
  on s.pair = w.pair and s.family = w.family and s.column_name = c.column_name
 and s.month = date_trunc('month', w.refreshed_through, 'UTC')::date
where w.refreshed_through is not null
group by 1, 2, 3
having count(distinct s.column_name) < count(distinct c.column_name)
order by 1, 2
