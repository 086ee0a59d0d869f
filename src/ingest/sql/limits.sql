-- The bounds an ingest applies (bqx.settings), read once at its start: the future and past limits of a
-- bar (epoch ms), the price ratio around each pair's baseline close, the partition cap, the lock timeout.
select (extract(epoch from now() + bqx.setting('max_future')::interval) * 1000)::float8 as latest_ms,
       (extract(epoch from bqx.setting('min_ts')::timestamptz) * 1000)::float8 as earliest_ms,
       bqx.setting('max_price_ratio')::float8 as price_ratio,
       bqx.setting('max_partitions_per_ingest')::integer as max_partitions,
       bqx.setting('ingest_lock_timeout') as lock_timeout,
       coalesce((select json_object_agg(pair, base_close) from bqx.baselines where base_close is not null), '{}'::json) as base_closes;
