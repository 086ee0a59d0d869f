-- bqx.m1_dirty_insert(): statement trigger after INSERT on bqx.m1, recording the span of the inserted bars of
-- each pair as dirty for every family computed from bqx.m1 (bqx.dirty_ranges), so the runner recomputes
-- everything the change reaches whatever path made it (ingest, a baseline established, bqx rebase, a
-- hand edit). One row per (pair, family) per statement, whatever its size.
-- Contract: reads the statement's transition table; the rest is bqx.m1_dirty_add's (dirty_ranges, the
-- cross-section's spans, bqx_vectors notices); takes no locks of its own.
create or replace function bqx.m1_dirty_insert()
returns trigger
language plpgsql
as $$
begin
  -- the spans per pair, recorded by bqx.m1_dirty_add (which the ingest's fast path calls too)
  perform bqx.m1_dirty_add(array_agg(pair), array_agg(lo), array_agg(hi), 'insert')
  from (select pair, min(ts_utc) as lo, max(ts_utc) as hi from bqx_dirty_new group by pair) g;
  return null;
end;
$$;

create or replace trigger m1_dirty_insert after insert on bqx.m1
  referencing new table as bqx_dirty_new for each statement execute function bqx.m1_dirty_insert();
