-- The 100 rows of a family ({{table}}, quoted) up to a bar: each column's scale for the comparison.
select * from {{table}} where pair = $1 and ts_utc <= $2 order by ts_utc desc limit 100
