-- Months of partitions retention keeps (0: keep everything), from bqx.settings.
select coalesce((select value::int from bqx.settings where key = 'retention_months'), 0) as months
