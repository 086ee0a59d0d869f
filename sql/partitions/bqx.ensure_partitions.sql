-- bqx.ensure_partitions(p_family, p_pair, p_from, p_to, p_premake_months)
-- Contract:
--   in:   a registered family, a known pair, a half-open range [p_from, p_to), and how many empty months
--         to make beyond the range (default: setting premake_months).
--   out:  the number of partitions created (0 when all existed).
--   does: creates bqx.{family}_{pair}_{yyyy}_{mm} for every UTC month the range touches, plus premake,
--         never past now() + max_future (premake is clamped there; a range beyond it is refused, BQ004),
--         never before min_ts (a range starting earlier is refused, BQ003: a bad timestamp, not history).
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
  v_limit timestamptz := now() + bqx.setting('max_future')::interval;
  v_min timestamptz := bqx.setting('min_ts')::timestamptz;
  v_premake integer := coalesce(p_premake_months, bqx.setting('premake_months')::integer);
  v_month timestamptz;
  v_stop timestamptz;
  v_name text;
  v_created integer := 0;
begin
  perform bqx.assert_family(p_family);
  perform bqx.assert_pair(p_pair);
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = 'BQ003',
      message = format('bad range [%s, %s) for %s/%s', p_from, p_to, p_family, p_pair),
      hint = 'give --from before --to (ISO dates; the range is half-open)';
  end if;
  if p_to - interval '1 microsecond' > v_limit then
    raise exception using errcode = 'BQ004',
      message = format('range [%s, %s) for %s/%s reaches beyond now() + max_future (%s)',
                       p_from, p_to, p_family, p_pair, bqx.setting('max_future')),
      hint = 'a bar or partition that far ahead is almost certainly a bad timestamp; fix the input, or raise bqx.settings.max_future';
  end if;
  if p_from < v_min then
    raise exception using errcode = 'BQ003',
      message = format('range [%s, %s) for %s/%s starts before min_ts (%s)', p_from, p_to, p_family, p_pair, v_min),
      hint = 'a bar or partition that far back is almost certainly a bad timestamp; fix the input, or lower bqx.settings.min_ts';
  end if;
  if v_premake < 0 then
    raise exception using errcode = 'BQ003', message = format('premake months must be >= 0, got %s', v_premake),
      hint = 'pass --premake 0 or more';
  end if;

  perform pg_advisory_xact_lock(hashtext('bqx.partitions'), hashtext(p_family || '.' || p_pair));

  v_month := date_trunc('month', p_from at time zone 'UTC') at time zone 'UTC';
  -- The month holding the last instant of the range, plus premake, clamped to the future limit.
  v_stop := (date_trunc('month', (p_to - interval '1 microsecond') at time zone 'UTC')
             + make_interval(months => 1 + v_premake)) at time zone 'UTC';
  v_stop := least(v_stop, (date_trunc('month', v_limit at time zone 'UTC') + interval '1 month') at time zone 'UTC');

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
