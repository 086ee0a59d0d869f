-- A re-base of $1 pair serialises with its ingests: they hold the pair's m1 partition lock (taken by
-- bqx.ensure_partitions) from making partitions to commit, so no ingest computes indices from the old B
-- while the re-base writes the new one.
select pg_advisory_xact_lock(hashtext('bqx.partitions'), hashtext('m1.' || $1))
