-- bqx.drop_cross_partitions(p_family, p_before): retention of a cross-sectional table. Drops every monthly
-- partition of p_family (the 8 currencies' for currency_strength) whose range ends at or before both
-- p_before and bqx.cross_retention_floor(p_family): a month no pair's kept rows read, as input or as the
-- lookback of their first row. Run it after the pairs' months are dropped (the floor follows them).
-- Contract: returns one row per partition with action 'dropped', or a single row with action
-- 'skipped_locked' when another session holds the family's partition lock (a cross refresh in flight
-- holds it through ensure_*_partitions): retention is maintenance, so it steps aside
-- (pg_try_advisory_xact_lock) and the next run does the work, as bqx.drop_partitions does.
-- Keeps the bookkeeping consistent with the rows that went (no pair has a bar before them: the floor is at
-- or before every pair's first bar): the family's dirty spans (bqx.cross_dirty_ranges) before the dropped
-- months are removed, one reaching into them starts where the kept months start, and its definition
-- records (bqx.cross_definitions) lose the dropped range. The watermark is a point and stays, as a
-- pair's does under bqx.drop_partitions.
create or replace function bqx.drop_cross_partitions(p_family text, p_before timestamptz)
returns table (partition_name text, action text)
language plpgsql
-- As bqx.drop_partitions: the runner's role drops months through this function without owning the tables.
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_row record;
  v_cut timestamptz;
  v_kept_from timestamptz;
begin
  if p_family is null or not exists (select 1 from bqx.cross_watermarks where family = p_family) then
    raise exception using errcode = 'BQ002', message = format('unknown cross-sectional family %L', p_family),
      hint = 'use one of: ' || (select string_agg(family, ', ' order by family) from bqx.cross_watermarks);
  end if;
  if p_before is null then
    raise exception using errcode = 'BQ003', message = 'drop_cross_partitions needs a cut-off instant',
      hint = 'pass --before DATE or --retention-months N';
  end if;
  if not pg_try_advisory_xact_lock(hashtext('bqx.partitions'), hashtext(p_family)) then
    partition_name := null;
    action := 'skipped_locked';
    return next;
    return;
  end if;
  v_cut := least(p_before, bqx.cross_retention_floor(p_family));
  for v_row in
    select l.partition_name, l.range_to from bqx.list_partitions(p_family, null) l
    where l.range_to <= v_cut order by l.range_from, l.partition_name
  loop
    execute format('drop table bqx.%I', v_row.partition_name);
    v_kept_from := greatest(v_kept_from, v_row.range_to);
    partition_name := v_row.partition_name;
    action := 'dropped';
    return next;
  end loop;
  if v_kept_from is not null then
    delete from bqx.cross_dirty_ranges d where d.family = p_family and d.span << tstzrange(v_kept_from, null);
    update bqx.cross_dirty_ranges d set span = d.span * tstzrange(v_kept_from, null)
    where d.family = p_family and lower(d.span) < v_kept_from;
    delete from bqx.cross_definitions d
    where d.family = p_family and d.spans <@ tstzmultirange(tstzrange(null, v_kept_from));
    update bqx.cross_definitions d set spans = d.spans - tstzmultirange(tstzrange(null, v_kept_from)), updated_at = now()
    where d.family = p_family and d.spans && tstzrange(null, v_kept_from);
  end if;
end;
$$;
