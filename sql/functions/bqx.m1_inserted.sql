-- bqx.m1_inserted(p_pair, p_months, p_rows, p_lo, p_hi): records bars of pair p_pair written into its own
-- table bqx.m1_<pair> (the ingest's fast path: a COPY there batches its rows, a COPY into bqx.m1 inserts
-- them one by one because of bqx.m1's transition-table triggers), exactly as those triggers record an
-- insert into bqx.m1: p_rows[i] bars in UTC month p_months[i], spanning [p_lo, p_hi]. The same functions
-- in the same order as the triggers fire (by name: m1_dirty_insert, then m1_rows_insert).
-- Contract: the caller wrote those bars in the same transaction; see bqx.m1_dirty_add and bqx.m1_rows_add.
create or replace function bqx.m1_inserted(
  p_pair text, p_months timestamptz[], p_rows bigint[], p_lo timestamptz, p_hi timestamptz
)
returns void
language plpgsql
as $$
begin
  perform bqx.m1_dirty_add(array[p_pair], array[p_lo], array[p_hi], 'insert');
  perform bqx.m1_rows_add(array_fill(p_pair, array[cardinality(p_months)]), p_months, p_rows);
end;
$$;
