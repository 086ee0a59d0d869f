-- bqx.m1_dirty_add(p_pairs, p_lo, p_hi, p_reason): what a change of the bars [p_lo[i], p_hi[i]] of each
-- pair p_pairs[i] makes dirty: a span per family computed from bqx.m1 (bqx.dirty_ranges), the
-- cross-section's spans (bqx.m1_dirty_cross), and bqx serve's cache notice. The one place an insert or a
-- delete is recorded: the statement triggers on bqx.m1 (bqx.m1_dirty_insert, bqx.m1_dirty_delete) call it
-- with their transition table's spans, and the ingest's fast path, which COPYs into the pair's own table
-- (bqx.m1_<pair>, where no statement trigger of bqx.m1 fires), with the span it wrote (bqx.m1_inserted).
-- Contract: inserts into bqx.dirty_ranges and bqx.cross_dirty_ranges; notifies bqx_vectors per pair (see
-- bqx.refresh_prepare; sent at commit); takes no locks of its own.
create or replace function bqx.m1_dirty_add(p_pairs text[], p_lo timestamptz[], p_hi timestamptz[], p_reason text)
returns void
language plpgsql
as $$
declare
  d record;
begin
  for d in select * from unnest(p_pairs, p_lo, p_hi) as u (pair, lo, hi) loop
    insert into bqx.dirty_ranges (pair, family, span, reason)
    select d.pair, f.family, tstzrange(d.lo, d.hi, '[]'), p_reason
    from bqx.families f
    where f.family <> 'm1';
    -- bqx serve's cache: the pair's vectors from the first changed bar on (sent at commit)
    perform pg_notify('bqx_vectors', d.pair || ' ' || floor(extract(epoch from d.lo) * 1000)::bigint);
  end loop;
  -- the cross-section and every pair's cross-pair families (one span per statement)
  perform bqx.m1_dirty_cross(p_pairs, p_lo, p_hi, p_reason);
end;
$$;
