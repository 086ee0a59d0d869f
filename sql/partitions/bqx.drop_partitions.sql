-- bqx.drop_partitions(p_family, p_pair, p_before): retention. Drops every monthly partition of
-- (family, pair), attached or detached, whose range ends at or before p_before.
-- Contract: returns one row per partition with action 'dropped', or a single row with action
-- 'skipped_locked' when another session holds the (family, pair) partition lock: retention is
-- maintenance, so it steps aside (pg_try_advisory_xact_lock) and the next run does the work.
-- Notifies bqx_vectors for the pair from each dropped month on.
create or replace function bqx.drop_partitions(p_family text, p_pair text, p_before timestamptz)
returns table (partition_name text, action text)
language plpgsql
-- Runs as its owner (the role that migrates): the runner's role may make and drop partitions through
-- this function, which validates its arguments, without owning the tables. search_path is pinned, as for
-- every security definer function.
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_row record;
begin
  perform bqx.assert_family(p_family);
  perform bqx.assert_pair(p_pair);
  if p_before is null then
    raise exception using errcode = 'BQ003', message = 'drop_partitions needs a cut-off instant',
      hint = 'pass --before DATE or --retention-months N';
  end if;
  if not pg_try_advisory_xact_lock(hashtext('bqx.partitions'), hashtext(p_family || '.' || p_pair)) then
    partition_name := null;
    action := 'skipped_locked';
    return next;
    return;
  end if;
  for v_row in
    select l.partition_name, l.range_from, l.attached from bqx.list_partitions(p_family, p_pair) l
    where l.range_to <= p_before order by l.range_from
  loop
    execute format('drop table bqx.%I', v_row.partition_name);
    -- bqx serve's cache: the pair's vectors from the month on (sent at commit, see bqx.refresh_prepare)
    perform pg_notify('bqx_vectors', p_pair || ' ' || floor(extract(epoch from v_row.range_from) * 1000)::bigint);
    -- dropped bars leave the per-month counts the refreshes number rows by (a detached month already did)
    if p_family = 'm1' and v_row.attached then
      delete from bqx.m1_rows where pair = p_pair and month = v_row.range_from;
    end if;
    partition_name := v_row.partition_name;
    action := 'dropped';
    return next;
  end loop;
end;
$$;
