-- Per family and month: the share of the month's bqx.m1 bars (every pair with bars) that the family
-- holds rows for, from the statistics' row counts, and the mean NULL share of its columns.
with bars as (
  select date_trunc('month', ts_utc, 'UTC')::date as month, pair, count(*) as bars
  from bqx.m1
  group by 1, 2
),
families as (
  select distinct family from bqx.feature_stats
),
fam as (
  select family, month, pair, max(rows) as rows, avg(null_share) as null_share
  from bqx.feature_stats
  group by 1, 2, 3
)
select
  x.family,
  to_char(b.month, 'YYYY-MM') as month,
  sum(coalesce(f.rows, 0))::float8 / sum(b.bars) as completeness,
  avg(f.null_share)::float8 as null_share
from bars b
cross join families x
left join fam f on f.family = x.family and f.month = b.month and f.pair = b.pair
group by x.family, b.month
order by 1, 2
