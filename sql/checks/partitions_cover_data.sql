-- Violations: a month with bars in bqx.m1 for a pair, up to where a family has been computed for it
-- (its watermark), without an attached partition of that family. The partitions are listed once
-- (bqx.list_partitions parses every relation name per call, so not once per month and family).
with months as (
  select pair, date_trunc('month', ts_utc, 'UTC') as month from bqx.m1 group by 1, 2
), attached as (
  select p.family, p.pair, p.range_from from bqx.list_partitions() p where p.attached
)
select w.family, m.pair, m.month
from months m
join bqx.watermarks w on w.pair = m.pair and w.refreshed_through >= m.month
where not exists (
  select 1 from attached a where a.family = w.family and a.pair = m.pair and a.range_from = m.month
)
order by 1, 2, 3
