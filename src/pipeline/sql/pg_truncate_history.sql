-- The causality recompute's truncation (inside a transaction that is always rolled back): every bar
-- of pair $1 after $2 is removed, so what is recomputed next can read history up to $2 only.
delete from bqx.m1 where pair = $1 and ts_utc > $2
