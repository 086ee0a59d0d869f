-- Every month that has statistics, oldest first.
select to_char(month, 'YYYY-MM-DD') as month from bqx.feature_stats group by month order by month
