-- Violations: a pair whose bar count in a month falls below 90% of its usual level, the median of the
-- pairs in that month (the pairs share one calendar: sessions, weekends and holidays alike, so a pair
-- whose feed stopped or thinned stands out). Bars are the rows of the pair's feature families.
with bars as (
  select pair, month, max(rows) as bars
  from bqx.feature_stats
  group by 1, 2
),
usual as (
  select month, percentile_cont(0.5) within group (order by bars) as median, count(*) as pairs
  from bars
  group by 1
)
select b.pair, b.month, b.bars, u.median as usual_bars, round((b.bars / u.median)::numeric, 3) as ratio
from bars b
join usual u using (month)
where u.pairs >= 2
  and b.bars < 0.9 * u.median
order by 1, 2
