-- bqx.ensure_cross_partitions(p_family, p_from, p_to, p_premake_months)
-- Contract:
--   in:   a cross-sectional family (bqx.cross_watermarks: currency_strength, cross_returns), a half-open
--         range [p_from, p_to), and how many empty months to make beyond it (default: setting premake_months).
--   out:  the number of partitions created (0 when all existed).
--   does: what bqx.ensure_partitions does for a pair's family, with the same bounds (premake clamped at
--         now() + max_future, a range beyond it refused with BQ004, one before min_ts with BQ003), through the
--         family's own maker (bqx.ensure_currency_partitions: the 8 currencies' months;
--         bqx.ensure_cross_returns_partitions), which the cross refresh also calls on its way.
--   locks: the maker's pg_advisory_xact_lock on (bqx partitions, family), held to the end of the caller's
--         transaction, the key bqx.drop_cross_partitions tries.
create or replace function bqx.ensure_cross_partitions(
  p_family text,
  p_from timestamptz,
  p_to timestamptz,
  p_premake_months integer default null
)
returns integer
language plpgsql
-- As bqx.ensure_partitions: the runner's role makes months through this function without owning the tables.
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_limit timestamptz := now() + bqx.setting('max_future')::interval;
  v_min timestamptz := bqx.setting('min_ts')::timestamptz;
  v_premake integer := coalesce(p_premake_months, bqx.setting('premake_months')::integer);
  v_stop timestamptz;
  v_created integer;
begin
  if p_family is null or not exists (select 1 from bqx.cross_watermarks where family = p_family) then
    raise exception using errcode = 'BQ002', message = format('unknown cross-sectional family %L', p_family),
      hint = 'use one of: ' || (select string_agg(family, ', ' order by family) from bqx.cross_watermarks);
  end if;
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = 'BQ003',
      message = format('bad range [%s, %s) for %s', p_from, p_to, p_family),
      hint = 'give --from before --to (ISO dates; the range is half-open)';
  end if;
  if p_to - interval '1 microsecond' > v_limit then
    raise exception using errcode = 'BQ004',
      message = format('range [%s, %s) for %s reaches beyond now() + max_future (%s)', p_from, p_to, p_family, bqx.setting('max_future')),
      hint = 'a bar or partition that far ahead is almost certainly a bad timestamp; fix the input, or raise bqx.settings.max_future';
  end if;
  if p_from < v_min then
    raise exception using errcode = 'BQ003',
      message = format('range [%s, %s) for %s starts before min_ts (%s)', p_from, p_to, p_family, v_min),
      hint = 'a bar or partition that far back is almost certainly a bad timestamp; fix the input, or lower bqx.settings.min_ts';
  end if;
  if v_premake < 0 then
    raise exception using errcode = 'BQ003', message = format('premake months must be >= 0, got %s', v_premake),
      hint = 'pass --premake 0 or more';
  end if;
  -- the month after the one holding the range's last instant, plus premake, clamped to the future limit
  -- (as bqx.ensure_partitions)
  v_stop := (date_trunc('month', (p_to - interval '1 microsecond') at time zone 'UTC')
             + make_interval(months => 1 + v_premake)) at time zone 'UTC';
  v_stop := least(v_stop, (date_trunc('month', v_limit at time zone 'UTC') + interval '1 month') at time zone 'UTC');
  if v_stop <= p_from then
    return 0;
  end if;
  v_created := case p_family
    when 'currency_strength' then bqx.ensure_currency_partitions(p_from, v_stop)
    when 'cross_returns' then bqx.ensure_cross_returns_partitions(p_from, v_stop)
  end;
  if v_created is null then
    raise exception using errcode = 'BQ002', message = format('cross-sectional family %L has no partition maker', p_family),
      hint = 'add its bqx.ensure_*_partitions function to bqx.ensure_cross_partitions';
  end if;
  return v_created;
end;
$$;
