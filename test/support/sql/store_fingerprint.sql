-- The data a failed ingest must leave untouched: every m1 row, every partition, every baseline.
select
  (select md5(coalesce(string_agg(m::text, '|' order by pair, ts_utc), '')) from bqx.m1 m) as m1,
  (select count(*) from bqx.m1) as m1_rows,
  (select md5(coalesce(string_agg(partition_name || attached::text, ',' order by partition_name), '')) from bqx.list_partitions()) as partitions,
  (select md5(string_agg(b::text, '|' order by pair)) from bqx.baselines b) as baselines;
