-- bqx.feature_stats_hist_add(p_a, p_b): the element-wise sum of two histograms counted on the same edges
-- (how months, or an appended range and its month, merge). NULL when either is NULL: a histogram that
-- is missing cannot be completed by adding to it.
create or replace function bqx.feature_stats_hist_add(p_a bigint[], p_b bigint[])
returns bigint[]
language sql
immutable
as $$
  select case
    when p_a is null or p_b is null then null
    else array(
      select coalesce(p_a[i], 0) + coalesce(p_b[i], 0)
      from generate_series(1, greatest(cardinality(p_a), cardinality(p_b))) as i
      order by i
    )
  end
$$;

grant execute on function bqx.feature_stats_hist_add(bigint[], bigint[]) to bqx_reader;
