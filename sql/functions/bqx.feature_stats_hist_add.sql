-- bqx.feature_stats_hist_add(p_a, p_b): the element-wise sum of two histograms counted on the same edges
-- (how months, or an appended range and its month, merge). NULL when either is NULL: a histogram that
-- is missing cannot be completed by adding to it.
-- PL/pgSQL with a loop over the (at most 32) bins: an appending tick merges every column of a family
-- with it, and the SQL version (a subquery, so never inlined) went through the SQL-function executor
-- once per column, most of the tick's merge.
create or replace function bqx.feature_stats_hist_add(p_a bigint[], p_b bigint[])
returns bigint[]
language plpgsql
immutable
as $fn$
declare
  v_n integer;
  v_sum bigint[];
begin
  if p_a is null or p_b is null then
    return null;
  end if;
  v_n := greatest(cardinality(p_a), cardinality(p_b));
  v_sum := array_fill(0::bigint, array[v_n]);
  for i in 1 .. v_n loop
    v_sum[i] := coalesce(p_a[i], 0) + coalesce(p_b[i], 0);
  end loop;
  return v_sum;
end;
$fn$;

grant execute on function bqx.feature_stats_hist_add(bigint[], bigint[]) to bqx_reader;
