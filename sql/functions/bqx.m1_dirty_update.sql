-- bqx.m1_dirty_update(): statement trigger after UPDATE on bqx.m1, recording the span of the updated bars of
-- each pair as dirty for every family computed from bqx.m1 (bqx.dirty_ranges), so the runner recomputes
-- everything the change reaches whatever path made it (ingest, a baseline established, bqx rebase, a
-- hand edit). One row per (pair, family) per statement, whatever its size.
-- Contract: reads the statement's transition tables; records the cross-section's spans (bqx.m1_dirty_cross);
-- notifies bqx_vectors per pair (see bqx.refresh_prepare); inserts into bqx.dirty_ranges; takes no locks of its own.
create or replace function bqx.m1_dirty_update()
returns trigger
language plpgsql
as $$
declare
  r record;
begin
  insert into bqx.dirty_ranges (pair, family, span, reason)
  select d.pair, f.family, tstzrange(d.lo, d.hi, '[]'), 'update'
  from (select pair, min(ts_utc) as lo, max(ts_utc) as hi from bqx_dirty_new group by pair) d
  cross join bqx.families f
  where f.family <> 'm1';
  -- the cross-section and every pair's cross-pair families (one span per statement)
  perform bqx.m1_dirty_cross(array_agg(pair), array_agg(lo), array_agg(hi), 'update')
  from (select pair, min(ts_utc) as lo, max(ts_utc) as hi from bqx_dirty_new group by pair) g;
  -- bqx serve's cache: the pair's vectors from the first changed bar on (sent at commit); the old rows
  -- too, since an update that moves a bar changes the answers from where it was
  for r in select pair, min(ts_utc) as lo
           from (select pair, ts_utc from bqx_dirty_new union all select pair, ts_utc from bqx_dirty_old) u
           group by pair loop
    perform pg_notify('bqx_vectors', r.pair || ' ' || floor(extract(epoch from r.lo) * 1000)::bigint);
  end loop;
  return null;
end;
$$;

create or replace trigger m1_dirty_update after update on bqx.m1
  referencing old table as bqx_dirty_old new table as bqx_dirty_new for each statement execute function bqx.m1_dirty_update();
