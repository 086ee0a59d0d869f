-- bqx.m1_dirty_delete(): statement trigger after DELETE on bqx.m1, recording the span of the deleted bars of
-- each pair as dirty for every family computed from bqx.m1 (bqx.dirty_ranges), so the runner recomputes
-- everything the change reaches whatever path made it (ingest, a baseline established, bqx rebase, a
-- hand edit). One row per (pair, family) per statement, whatever its size.
-- Contract: reads the statement's transition table; records the cross-section's spans (bqx.m1_dirty_cross);
-- notifies bqx_vectors per pair (see bqx.refresh_prepare); inserts into bqx.dirty_ranges; takes no locks of its own.
create or replace function bqx.m1_dirty_delete()
returns trigger
language plpgsql
as $$
declare
  d record;
begin
  for d in select pair, min(ts_utc) as lo, max(ts_utc) as hi from bqx_dirty_old group by pair loop
    insert into bqx.dirty_ranges (pair, family, span, reason)
    select d.pair, f.family, tstzrange(d.lo, d.hi, '[]'), 'delete'
    from bqx.families f
    where f.family <> 'm1';
    -- bqx serve's cache: the pair's vectors from the first changed bar on (sent at commit)
    perform pg_notify('bqx_vectors', d.pair || ' ' || floor(extract(epoch from d.lo) * 1000)::bigint);
  end loop;
  -- the cross-section and every pair's cross-pair families (one span per statement)
  perform bqx.m1_dirty_cross(array_agg(pair), array_agg(lo), array_agg(hi), 'delete')
  from (select pair, min(ts_utc) as lo, max(ts_utc) as hi from bqx_dirty_old group by pair) g;
  return null;
end;
$$;

create or replace trigger m1_dirty_delete after delete on bqx.m1
  referencing old table as bqx_dirty_old for each statement execute function bqx.m1_dirty_delete();
