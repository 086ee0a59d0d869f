-- The first and last row of a family table ({{table}}, quoted by the caller) for one pair ($1).
select min(ts_utc) as first, max(ts_utc) as last from bqx.{{table}} where pair = $1
