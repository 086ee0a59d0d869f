-- Monthly m1 partitions for the staged range of pair $1 ($2 first, $3 last bar; plus premake). The caller
-- already holds the pair's partition lock (ensure_partitions takes it again, which is a no-op).
select bqx.ensure_partitions('m1', $1::text, $2::timestamptz, $3::timestamptz + interval '1 minute') as created;
