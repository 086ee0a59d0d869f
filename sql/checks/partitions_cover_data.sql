-- Violations: a month with bars in bqx.m1 for a pair, up to where a family has been computed for it
-- (its watermark), without an attached partition of that family.
with months as (
  select pair, date_trunc('month', ts_utc, 'UTC') as month from bqx.m1 group by 1, 2
)
select w.family, m.pair, m.month
from months m
join bqx.watermarks w on w.pair = m.pair and w.refreshed_through >= m.month
where not exists (
  select 1 from bqx.list_partitions(w.family, m.pair) p where p.attached and p.range_from = m.month
)
order by 1, 2, 3
