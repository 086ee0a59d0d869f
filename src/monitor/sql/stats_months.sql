-- The two newest months with statistics (newest first): bqx status compares them for drift.
select to_char(month, 'YYYY-MM-DD') as month
from bqx.feature_stats
group by month
order by month desc
limit 2
