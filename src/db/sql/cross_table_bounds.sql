-- The first and last row of one cross-sectional table; the caller puts the quoted table name in place of
-- the placeholder after bqx.
select min(ts_utc) as first, max(ts_utc) as last from bqx.{{table}}
