-- bqx.feature_stats_bin_counts(p_bins, p_n): the histogram of bin numbers p_bins (width_bucket's, 0 ..
-- p_n - 1; NULLs not counted) as p_n counts. bqx.feature_stats_refresh calls it once per column on that
-- column's bins of a range, gathered by array_agg in its one pass over the family's rows. The bins are
-- sorted once and each count is the difference of two binary searches (width_bucket on the sorted bins
-- counts those at or below a number), instead of grouping every (column, bin) pair of the range.
-- PL/pgSQL, not SQL: its two statements' plans are kept for the session, where an SQL function called
-- from 90 places in one statement is planned 90 times (most of a histogram's cost).
create or replace function bqx.feature_stats_bin_counts(p_bins integer[], p_n integer)
returns bigint[]
language plpgsql
immutable
parallel safe
as $fn$
declare
  v_sorted integer[];
  v_counts bigint[];
  b integer;
begin
  -- a tick's few bars (often none in the sample): counted in place, no statement at all
  if coalesce(cardinality(p_bins), 0) <= 16 then
    v_counts := array_fill(0::bigint, array[p_n]);
    foreach b in array coalesce(p_bins, '{}') loop
      if b is not null then
        v_counts[b + 1] := v_counts[b + 1] + 1;
      end if;
    end loop;
    return v_counts;
  end if;
  v_sorted := array(select x from unnest(p_bins) as x where x is not null order by x);
  return array(
    select (width_bucket(i, v_sorted) - width_bucket(i - 1, v_sorted))::bigint
    from generate_series(0, p_n - 1) as i
    order by i);
end;
$fn$;

grant execute on function bqx.feature_stats_bin_counts(integer[], integer) to bqx_reader;
