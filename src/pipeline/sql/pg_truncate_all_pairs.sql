-- The causality recompute's truncation for a row whose families read the cross-section (inside the
-- transaction that is always rolled back): every pair's bars after $1 are removed, so the cross-section
-- recomputed next reads history up to $1 only (spec section 8 for a cross-pair family).
delete from bqx.m1 where ts_utc > $1
