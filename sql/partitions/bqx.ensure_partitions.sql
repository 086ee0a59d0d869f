-- bqx.ensure_partitions(p_family, p_pair, p_from, p_to, p_premake_months)
-- Contract:
--   in:   a registered family, a known pair, a half-open range [p_from, p_to), and how many empty months
--         to make beyond the range (default: setting premake_months).
--   out:  the number of partitions created (0 when all existed).
--   does: creates bqx.{family}_{pair}_{yyyy}_{mm} for every UTC month the range touches, plus premake,
--         never past now() + max_future (premake is clamped there; a range beyond it is refused, BQ004),
--         never before min_ts (a range starting earlier is refused, BQ003: a bad timestamp, not history);
--         those bounds are bqx.premake_stop's.
--   locks: pg_advisory_xact_lock on (bqx partitions, family.pair), held to the end of the caller's
--         transaction, so concurrent ingests of one pair never race to create the same month.
create or replace function bqx.ensure_partitions(
  p_family text,
  p_pair text,
  p_from timestamptz,
  p_to timestamptz,
  p_premake_months integer default null
)
returns integer
language plpgsql
-- Runs as its owner (the role that migrates): the runner's role may make and drop partitions through
-- this function, which validates its arguments, without owning the tables. search_path is pinned, as for
-- every security definer function.
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_month timestamptz;
  v_stop timestamptz;
  v_name text;
  v_created integer := 0;
begin
  perform bqx.assert_family(p_family);
  perform bqx.assert_pair(p_pair);
  -- the range's checks and the month to stop at (premake clamped to the future limit)
  v_stop := bqx.premake_stop(p_family || '/' || p_pair, p_from, p_to, p_premake_months);

  perform pg_advisory_xact_lock(hashtext('bqx.partitions'), hashtext(p_family || '.' || p_pair));

  v_month := date_trunc('month', p_from at time zone 'UTC') at time zone 'UTC';
  while v_month < v_stop loop
    v_name := bqx.month_partition_name(p_family, p_pair, v_month);
    if to_regclass(format('bqx.%I', v_name)) is null then
      execute format(
        'create table bqx.%I partition of bqx.%I for values from (%L) to (%L)',
        v_name, p_family || '_' || p_pair,
        v_month, (v_month at time zone 'UTC' + interval '1 month') at time zone 'UTC');
      v_created := v_created + 1;
    elsif not exists (select 1 from pg_inherits where inhrelid = format('bqx.%I', v_name)::regclass) then
      raise exception using errcode = 'BQ006',
        message = format('partition bqx.%I exists but is detached', v_name),
        hint = format('attach it again (alter table bqx.%I attach partition ...) or drop it, then retry', p_family || '_' || p_pair);
    end if;
    v_month := (v_month at time zone 'UTC' + interval '1 month') at time zone 'UTC';
  end loop;
  return v_created;
end;
$$;
