-- bqx.detach_partition(p_family, p_pair, p_month): detaches the month holding p_month from
-- bqx.{family}_{pair}; the table and its rows stay (archive, move to cheaper storage, or drop later).
-- Contract: returns the partition name; raises BQ006 when there is no such attached partition;
-- notifies bqx_vectors for the pair from the month on.
-- Locks: the advisory lock of ensure_partitions for (family, pair), then ACCESS EXCLUSIVE on the
-- pair table for the detach itself.
create or replace function bqx.detach_partition(p_family text, p_pair text, p_month timestamptz)
returns text
language plpgsql
as $$
declare
  v_name text := bqx.month_partition_name(bqx.assert_family(p_family), bqx.assert_pair(p_pair), p_month);
begin
  perform pg_advisory_xact_lock(hashtext('bqx.partitions'), hashtext(p_family || '.' || p_pair));
  if to_regclass(format('bqx.%I', v_name)) is null
     or not exists (select 1 from pg_inherits where inhrelid = format('bqx.%I', v_name)::regclass) then
    raise exception using errcode = 'BQ006',
      message = format('no attached partition bqx.%I', v_name),
      hint = 'list them with bqx partitions list --family F --pair P';
  end if;
  execute format('alter table bqx.%I detach partition bqx.%I', p_family || '_' || p_pair, v_name);
  -- bqx serve's cache: the pair's vectors from the month on (sent at commit, see bqx.refresh_prepare)
  perform pg_notify('bqx_vectors', p_pair || ' ' || floor(extract(epoch from date_trunc('month', p_month, 'UTC')) * 1000)::bigint);
  -- a detached m1 month no longer counts among the pair's bars
  if p_family = 'm1' then
    delete from bqx.m1_rows where pair = p_pair and month = date_trunc('month', p_month, 'UTC');
  end if;
  return v_name;
end;
$$;
