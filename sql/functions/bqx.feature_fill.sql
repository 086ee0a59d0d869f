-- bqx.feature_fill(p_since): for every feature column in bqx.feature_catalog, how many rows at or after
-- p_since hold a value (non-NULL) out of how many rows there are; bqx status counts the populated ones.
-- Contract: reads the catalog, then one scan per family table restricted to ts_utc >= p_since (so only
-- the recent partitions); identifiers come from the catalog and are quoted with %I.
create or replace function bqx.feature_fill(p_since timestamptz)
returns table (family text, column_name text, non_null bigint, total bigint)
language plpgsql
stable
as $$
declare
  f record;
  v_counts bigint[];
  v_total bigint;
begin
  for f in
    select c.family, array_agg(c.column_name order by c.ord) as cols
    from bqx.feature_catalog c where c.counts_as_feature group by c.family order by c.family
  loop
    execute format('select count(*), array[%s] from bqx.%I where ts_utc >= $1',
                   (select string_agg(format('count(%I)', x), ', ') from unnest(f.cols) x), f.family)
      into v_total, v_counts using p_since;
    for i in 1 .. array_length(f.cols, 1) loop
      family := f.family;
      column_name := f.cols[i];
      non_null := v_counts[i];
      total := v_total;
      return next;
    end loop;
  end loop;
end;
$$;


-- read-only: analysts may call it
grant execute on function bqx.feature_fill(timestamptz) to bqx_reader;
