-- bqx.ensure_cross_returns_partitions(p_from, p_to)
-- Contract:
--   in:   a half-open range [p_from, p_to).
--   out:  the number of partitions created (0 when all existed).
--   does: creates bqx.cross_returns_{yyyy}_{mm} for every UTC month the range touches (no premake: the
--         table follows the pairs' bars, which made theirs).
--   locks: pg_advisory_xact_lock on (bqx partitions, cross_returns), held to the end of the caller's
--         transaction, so two refreshes never race to create the same month.
create or replace function bqx.ensure_cross_returns_partitions(p_from timestamptz, p_to timestamptz)
returns integer
language plpgsql
-- As bqx.ensure_partitions: the writer makes months through this function without owning the tables.
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v_month timestamptz;
  v_name text;
  v_created integer := 0;
begin
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = 'BQ003',
      message = format('bad range [%s, %s) for cross_returns', p_from, p_to),
      hint = 'give --from before --to (ISO dates; the range is half-open)';
  end if;
  perform pg_advisory_xact_lock(hashtext('bqx.partitions'), hashtext('cross_returns'));
  v_month := date_trunc('month', p_from at time zone 'UTC') at time zone 'UTC';
  while v_month < p_to loop
    v_name := 'cross_returns_' || to_char(v_month at time zone 'UTC', 'YYYY_MM');
    if to_regclass(format('bqx.%I', v_name)) is null then
      execute format('create table bqx.%I partition of bqx.cross_returns for values from (%L) to (%L)',
        v_name, v_month, (v_month at time zone 'UTC' + interval '1 month') at time zone 'UTC');
      v_created := v_created + 1;
    end if;
    v_month := (v_month at time zone 'UTC' + interval '1 month') at time zone 'UTC';
  end loop;
  return v_created;
end;
$$;
