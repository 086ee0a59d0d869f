-- The unit lock: one runner computes a (pair, family) at a time. Transaction-scoped, so a commit, a
-- rollback or a dead connection releases it; "try" so a second runner skips the unit instead of queueing.
select pg_try_advisory_xact_lock(hashtext('bqx.unit'), hashtext($1 || '/' || $2)) as ok
