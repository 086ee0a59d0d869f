-- bqx.cross_retention_floor(p_family): the earliest instant of a cross-sectional table the pairs' kept rows
-- still read, so retention never drops a cross month a pair needs as lookback.
-- Contract:
--   in:   a cross-sectional family (bqx.cross_watermarks).
--   out:  the (L + 1)-th grid minute of the table before E, or E when it holds fewer: E is the earliest
--         row any pair still keeps in bqx.m1 or in a family reading p_family (correlation_features), L the
--         largest lookback (bqx.families.lookback_bars, in grid minutes) of those readers, + 1 for the
--         previous minute a return reads. NULL when no pair keeps a row: nothing reads the table.
--         A month of the table that ends at or before it is read by no kept row, nor by a refresh of one.
--   reads: per pair, the first row of each of those tables ((pair, ts_utc) keys), and the table's grid
--         minutes before E (one currency's series for a table keyed by currency). No locks beyond reads.
create or replace function bqx.cross_retention_floor(p_family text)
returns timestamptz
language plpgsql
stable
as $$
declare
  v_fam record;
  v_first timestamptz;
  v_t timestamptz;
  v_back integer := 0;
  v_floor timestamptz;
  v_one_series text := '';
begin
  for v_fam in
    select f.family, f.lookback_bars from bqx.families f
    where f.family = 'm1' or p_family = any(f.depends_on)
  loop
    continue when to_regclass(format('bqx.%I', v_fam.family)) is null;
    execute format('select min(x.first) from bqx.pairs p cross join lateral (select min(t.ts_utc) as first from bqx.%I t where t.pair = p.pair) x',
                   v_fam.family) into v_t;
    v_first := least(v_first, v_t);
    v_back := greatest(v_back, v_fam.lookback_bars);
  end loop;
  if v_first is null then
    return null;
  end if;
  -- a table keyed by currency holds each grid minute once per currency: one series is the grid
  if exists (select 1 from pg_attribute where attrelid = format('bqx.%I', p_family)::regclass and attname = 'currency' and not attisdropped) then
    v_one_series := format(' and currency = %L', 'usd');
  end if;
  execute format('select min(g.ts_utc) from (select ts_utc from bqx.%I where ts_utc < $1%s order by ts_utc desc limit $2) g',
                 p_family, v_one_series) into v_floor using v_first, v_back + 1;
  return coalesce(v_floor, v_first);
end;
$$;

grant execute on function bqx.cross_retention_floor(text) to bqx_reader;
