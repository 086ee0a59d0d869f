-- The unit lock of a cross-sectional family ($1): one unit for the set of all 28 pairs, so one runner
-- computes it at a time; the unit-lock class of try_unit_lock.sql, keyed '*/family' (no pair is '*').
select pg_try_advisory_xact_lock(hashtext('bqx.unit'), hashtext('*/' || $1)) as ok
