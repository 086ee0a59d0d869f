-- The pair's partition lock, the advisory lock bqx.ensure_partitions, detach_partition and
-- drop_partitions take for ('m1', pair): taken before an ingest reads bqx.m1 and held to commit, it
-- serialises the ingests of a pair (conflict check, partitions, insert), and retention cannot drop a
-- month under it. Callers take their pairs in sorted order, so two ingests cannot wait on each other.
-- Waits at most lock_timeout (bqx.settings.ingest_lock_timeout, set by the caller).
select pg_advisory_xact_lock(hashtext('bqx.partitions'), hashtext('m1.' || $1::text));
