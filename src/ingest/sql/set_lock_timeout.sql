-- Bounds every lock wait of the ingest's transaction ($1: bqx.settings.ingest_lock_timeout, e.g. '60s'):
-- the pair lock, and a partition's creation behind a long reader. A wait past it fails with 55P03, which
-- the ingest reports as BQX_LOCKED naming the holder.
select set_config('lock_timeout', $1::text, true);
