-- What an ingest leaves behind, comparable across two stores (no wall-clock columns): every m1 row, every
-- partition, the baselines (without established_at), the per-month row counts, the watermarks' dirty
-- marks and the dirty ranges the m1 triggers record (pair-local and cross-pair; without ids and times).
select
  (select md5(coalesce(string_agg(m::text, '|' order by pair, ts_utc), '')) from bqx.m1 m) as m1,
  (select count(*) from bqx.m1) as m1_rows,
  (select md5(coalesce(string_agg(partition_name || attached::text, ',' order by partition_name), '')) from bqx.list_partitions()) as partitions,
  (select string_agg(concat_ws(' ', b.pair, b.base_close, b.base_ts, b.established_at is null), '|' order by b.pair)
   from bqx.baselines b) as baselines,
  (select coalesce(string_agg(concat_ws(' ', r.pair, r.month, r.rows), '|' order by r.pair, r.month), '') from bqx.m1_rows r) as month_rows,
  (select coalesce(string_agg(concat_ws(' ', w.pair, w.family, w.refreshed_through, w.dirty_from), '|' order by w.pair, w.family), '')
   from bqx.watermarks w) as watermarks,
  (select coalesce(string_agg(concat_ws(' ', d.pair, d.family, d.span, d.reason), '|' order by d.pair, d.family, d.span, d.reason), '')
   from bqx.dirty_ranges d) as dirty,
  (select coalesce(string_agg(concat_ws(' ', d.pair, d.family, d.span, d.reason), '|' order by d.pair, d.family, d.span, d.reason), '')
   from bqx.cross_dirty_ranges d) as cross_dirty;
