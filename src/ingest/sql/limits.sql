-- The bounds an ingest applies (bqx.settings), read once at its start: the future and past limits of a
-- bar (epoch ms), the price ratio around each pair's baseline close, the partition cap, the lock timeout;
-- and the catalog snapshot the early partition check counts against (PartitionBudget.ts): premake and
-- the names of the existing m1 month partitions (bqx.month_partition_name's m1_<pair>_<yyyy>_<mm>).
select (extract(epoch from now() + bqx.setting('max_future')::interval) * 1000)::float8 as latest_ms,
       (extract(epoch from bqx.setting('min_ts')::timestamptz) * 1000)::float8 as earliest_ms,
       bqx.setting('max_price_ratio')::float8 as price_ratio,
       bqx.setting('max_partitions_per_ingest')::integer as max_partitions,
       bqx.setting('ingest_lock_timeout') as lock_timeout,
       bqx.setting('premake_months')::integer as premake_months,
       coalesce((select array_agg(c.relname::text) from pg_catalog.pg_class as c
                 where c.relnamespace = 'bqx'::regnamespace and c.relname ~ '^m1_[a-z]{6}_[0-9]{4}_[0-9]{2}$'),
                '{}') as m1_partitions,
       coalesce((select json_object_agg(pair, base_close) from bqx.baselines where base_close is not null), '{}'::json) as base_closes;
