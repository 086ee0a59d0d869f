-- bqx.feature_fill_after(p_family, p_warmup): per pair and feature column of one family, rows and
-- non-NULL values after each pair's first p_warmup bars (bqx verify's missing-share check).
-- Contract: the family name is checked against bqx.families and its columns come from the catalog
-- (quoted with %I); one scan of the family table.
create or replace function bqx.feature_fill_after(p_family text, p_warmup integer)
returns table (pair text, column_name text, total bigint, non_null bigint)
language plpgsql
stable
as $$
declare
  v_cols text[];
  r record;
begin
  perform bqx.assert_family(p_family);
  select array_agg(c.column_name order by c.ord) into v_cols from bqx.feature_catalog c where c.family = p_family;
  for r in execute format(
    'select t.pair, count(*) as n, array[%s] as nn
     from bqx.%I t
     join (select m.pair, (array_agg(m.ts_utc order by m.ts_utc))[$1] as start_ts from bqx.m1 m group by m.pair) s
       on s.pair = t.pair and t.ts_utc >= s.start_ts
     group by t.pair',
    (select string_agg(format('count(t.%I)', x), ', ') from unnest(v_cols) x), p_family) using p_warmup
  loop
    for i in 1 .. array_length(v_cols, 1) loop
      pair := r.pair;
      column_name := v_cols[i];
      total := r.n;
      non_null := r.nn[i];
      return next;
    end loop;
  end loop;
end;
$$;
