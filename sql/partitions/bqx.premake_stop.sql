-- bqx.premake_stop(p_what, p_from, p_to, p_premake_months)
-- Contract:
--   in:   what the partitions are for (named in errors: 'reg_rate/eurusd', 'currency_strength'), a
--         half-open range [p_from, p_to), and how many empty months to make beyond it (default: setting
--         premake_months).
--   out:  the first month start not to make: the month after the one holding the range's last instant,
--         plus premake, clamped at the month after now() + max_future.
--   does: the bounds bqx.ensure_partitions and bqx.ensure_cross_partitions share, checked in one place: a
--         range beyond now() + max_future is refused (BQ004), one starting before min_ts or empty, or a
--         negative premake, too (BQ003): a bad timestamp, not history.
create or replace function bqx.premake_stop(
  p_what text,
  p_from timestamptz,
  p_to timestamptz,
  p_premake_months integer default null
)
returns timestamptz
language plpgsql
stable
set search_path = pg_catalog, pg_temp
as $$
declare
  v_limit timestamptz := now() + bqx.setting('max_future')::interval;
  v_min timestamptz := bqx.setting('min_ts')::timestamptz;
  v_premake integer := coalesce(p_premake_months, bqx.setting('premake_months')::integer);
begin
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = 'BQ003',
      message = format('bad range [%s, %s) for %s', p_from, p_to, p_what),
      hint = 'give --from before --to (ISO dates; the range is half-open)';
  end if;
  if p_to - interval '1 microsecond' > v_limit then
    raise exception using errcode = 'BQ004',
      message = format('range [%s, %s) for %s reaches beyond now() + max_future (%s)', p_from, p_to, p_what, bqx.setting('max_future')),
      hint = 'a bar or partition that far ahead is almost certainly a bad timestamp; fix the input, or raise bqx.settings.max_future';
  end if;
  if p_from < v_min then
    raise exception using errcode = 'BQ003',
      message = format('range [%s, %s) for %s starts before min_ts (%s)', p_from, p_to, p_what, v_min),
      hint = 'a bar or partition that far back is almost certainly a bad timestamp; fix the input, or lower bqx.settings.min_ts';
  end if;
  if v_premake < 0 then
    raise exception using errcode = 'BQ003', message = format('premake months must be >= 0, got %s', v_premake),
      hint = 'pass --premake 0 or more';
  end if;
  return least(
    (date_trunc('month', (p_to - interval '1 microsecond') at time zone 'UTC') + make_interval(months => 1 + v_premake)) at time zone 'UTC',
    (date_trunc('month', v_limit at time zone 'UTC') + interval '1 month') at time zone 'UTC'
  );
end;
$$;
