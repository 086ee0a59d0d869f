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
  v_stop timestamptz;
  v_created integer;
begin
  if p_family is null or not exists (select 1 from bqx.cross_watermarks where family = p_family) then
    raise exception using errcode = 'BQ002', message = format('unknown cross-sectional family %L', p_family),
      hint = 'use one of: ' || (select string_agg(family, ', ' order by family) from bqx.cross_watermarks);
  end if;
  -- the range's checks and the month to stop at, as bqx.ensure_partitions
  v_stop := bqx.premake_stop(p_family, p_from, p_to, p_premake_months);
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
