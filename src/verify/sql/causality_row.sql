-- One stored row of a family ({{table}}, quoted) at a bar.
select * from {{table}} where pair = $1 and ts_utc = $2
