-- The dirty ranges in the order they were recorded (by id, which two fresh stores number alike), with the
-- per-month counts: what the m1 triggers, or the fast path for them, wrote and in which order.
select
  (select coalesce(string_agg(concat_ws(' ', d.id, d.pair, d.family, d.span, d.reason), '|' order by d.id), '')
   from bqx.dirty_ranges d) as dirty,
  (select coalesce(string_agg(concat_ws(' ', d.id, d.family, d.pair, d.span, d.reason), '|' order by d.id), '')
   from bqx.cross_dirty_ranges d) as cross_dirty;
