-- bqx.feature_stats_refresh(p_pair, p_family, p_from, p_to): brings bqx.feature_stats up to date for the
-- months [p_from, p_to) touches, after a refresh of that range (the runner calls it inside the unit's
-- transaction, so the statistics commit or roll back with the rows they describe).
-- Contract:
--   in:    a known pair and family (the family's feature columns come from bqx.feature_catalog; a
--          family without any, m1 or labels, writes nothing) and a half-open range.
--   out:   statistics rows written.
--   does:  per month touched: when the month's rows were counted through a bar before p_from and
--          no uncounted row lies between that bar and p_from (an appending refresh, the runner's usual tick), counts only
--          [p_from, month end) and merges it into the month (counts and histograms add, means and
--          squared deviations combine as in Chan et al.'s parallel variance); otherwise first fixes the
--          bin edges of any column that has none yet, from this month's values
--          (bqx.feature_stats_edges, never moved afterwards), then counts the whole month again.
--   reads: the family's rows of the pair in the range counted, twice: every column's moments in one
--          aggregate, then the sampled bars' histograms in another (and, the first time a month is
--          counted for a column without edges, once more for them); an appending tick also probes the
--          index for a row between the newest bar counted and the range (bqx.refresh_prepare sets
--          `through` NULL in months whose counted rows a write touches, so no count of earlier rows).
--   locks: none of its own; rows of (p_pair, p_family) only, which the unit's advisory lock serialises.
-- Why this shape (it is what a tick and a backfill pay for the statistics): no unpivot. Each statistic
-- of each column is one aggregate of one wide pass, handed back as arrays and unnested by position, so
-- planning stays small (a VALUES list of five references per column took longer to plan than to run a
-- tick); a histogram is an array_agg of the column's bins counted by bqx.feature_stats_bin_counts (the
-- unpivoted (column, bin) rows were sorted, spilled to disk, and read back once per column). The
-- histograms take a pass of their own over the sampled bars: a `filter` on the sample, evaluated per
-- column and row, cost more than the second scan.
create or replace function bqx.feature_stats_refresh(p_pair text, p_family text, p_from timestamptz, p_to timestamptz)
returns bigint
language plpgsql
set jit = off
as $fn$
declare
  v_cols text[];
  v_aggs text;
  v_stats text;
  v_bins text;
  v_off integer[];
  v_len integer[];
  v_query text;
  v_qs text;
  v_month date;
  v_m_from timestamptz;
  v_m_to timestamptz;
  v_lo timestamptz;
  v_missing text[];
  v_through timestamptz;
  v_gap boolean;
  v_append boolean;
  v_written bigint := 0;
  v_n bigint;
  -- the bars of every 8th UTC minute: the histograms' and the edges' fixed subset (it merges across
  -- ranges and months like the counts do: an eighth of the cost, and still thousands of values a month).
  -- date_part's double, not extract's numeric: the test runs once per column and row (numeric made it
  -- most of the statement's time), and a bar's epoch, a whole minute (bqx.m1's check), is exact in both.
  c_sampled constant text := 'date_part(''epoch'', t.ts_utc)::bigint / 60 % 8 = 0';
begin
  perform bqx.assert_pair(p_pair);
  perform bqx.assert_family(p_family);
  select array_agg(c.column_name order by c.ord) into v_cols
  from bqx.feature_catalog c
  where c.family = p_family and c.counts_as_feature;
  if v_cols is null or p_to <= p_from then
    return 0;
  end if;

  -- the moments, each an array with one element per column (in v_cols' order)
  select format('array[%s]::bigint[] as n, array[%s]::float8[] as a, array[%s]::float8[] as q, array[%s]::float8[] as l, array[%s]::float8[] as h',
                string_agg(format('count(t.%I)', c), ', ' order by o),
                string_agg(format('avg(t.%I)', c), ', ' order by o),
                string_agg(format('var_pop(t.%1$I) * count(t.%1$I)', c), ', ' order by o),
                string_agg(format('min(t.%I)', c), ', ' order by o),
                string_agg(format('max(t.%I)', c), ', ' order by o))
    into v_aggs
  from unnest(v_cols) with ordinality as u(c, o);

  -- $1 pair, $2 .. $3 the range counted, $4 family, $5 month, $6 the columns, $7 and $8 where each
  -- column's histogram starts in hc and its length; %1$s the moments, %2$s the table, %3$s the histograms
  v_stats := $q$
  with m as materialized (
    select
      count(*) as rows,
      max(t.ts_utc) as through,
      %1$s
    from bqx.%2$I as t
    where t.pair = $1 and t.ts_utc >= $2 and t.ts_utc < $3
  ),
  h as materialized (
    select %3$s as hc
    from bqx.%2$I as t
    where t.pair = $1 and t.ts_utc >= $2 and t.ts_utc < $3 and %4$s
  )
  select
    $1 as pair,
    $4 as family,
    u.column_name,
    $5::date as month,
    m.rows,
    m.rows - u.n as nulls,
    u.mean,
    u.m2,
    u.min,
    u.max,
    case when u.len > 0 then h.hc[u.off + 1 : u.off + u.len] end as hist,
    m.through
  from m
  cross join h
  cross join lateral unnest($6::text[], $7::integer[], $8::integer[], m.n, m.a, m.q, m.l, m.h)
    as u(column_name, off, len, n, mean, m2, min, max)
  where m.rows > 0$q$;

  -- the 1/32 .. 31/32 quantiles percentile_disc takes
  v_qs := format('%L::float8[]', array(select k / 32.0 from generate_series(1, 31) as k)::float8[]);

  for v_month in
    select generate_series(date_trunc('month', p_from at time zone 'UTC'),
                           date_trunc('month', (p_to - interval '1 microsecond') at time zone 'UTC'),
                           interval '1 month')::date
  loop
    v_m_from := v_month::timestamp at time zone 'UTC';
    v_m_to := (v_month + interval '1 month')::timestamp at time zone 'UTC';
    v_lo := greatest(p_from, v_m_from);

    -- an appending refresh: every column's month row exists, was counted through a bar before the
    -- range and holds a histogram if its column has edges
    select max(s.through), count(s.through) into v_through, v_n
    from bqx.feature_stats s
    where s.pair = p_pair and s.family = p_family and s.month = v_month and s.column_name = any(v_cols)
      and (s.hist is not null or not exists (select 1 from bqx.feature_stats_edges e
           where e.pair = s.pair and e.family = s.family and e.column_name = s.column_name));
    -- (count(through): a NULL one, bqx.refresh_prepare's mark of counted rows rewritten, means a recount)
    v_append := coalesce(v_n = cardinality(v_cols) and v_through < v_lo and v_lo > v_m_from, false);
    -- and no row lies between the newest bar counted and the range (written by a refresh that kept no
    -- statistics): one index probe, O(log n). Rows at or before `through` need no check here: every write
    -- of a family's rows passes bqx.refresh_prepare, which sets `through` NULL in the months whose
    -- counted rows it rewrites (the unit's own recount, or the next one, counts them again). The month's
    -- count this replaces scanned the whole month's rows (heap fetches until autovacuum), most of a tick.
    if v_append then
      execute format('select exists (select 1 from bqx.%I where pair = $1 and ts_utc > $2 and ts_utc < $3)', p_family)
        into v_gap using p_pair, v_through, v_lo;
      v_append := not v_gap;
    end if;

    select array_agg(c order by o) into v_missing
    from unnest(v_cols) with ordinality as u(c, o)
    where not exists (select 1 from bqx.feature_stats_edges e
                      where e.pair = p_pair and e.family = p_family and e.column_name = c);
    -- (only when the month is counted again: an appending tick never pays for a column that has no
    -- edges because it has too few values yet)
    if v_missing is not null and not v_append then
      -- the 1/32 .. 31/32 quantiles of the month's sampled bars (as the histograms count), duplicates
      -- removed, for each column with 100 values at least: one ordered-set aggregate per column in one
      -- pass (a sort of a column's values each, in memory), instead of sorting all columns' values
      -- unpivoted
      execute format($q$
      insert into bqx.feature_stats_edges (pair, family, column_name, edges, reference_month)
      select $1, $4, u.c, array(select distinct v from unnest(q.qs[u.o:u.o][1:31]) as v where v = v order by v), $5
      from (
        select array[%s]::bigint[] as n, array[%s]::float8[] as qs
        from bqx.%I as t
        where t.pair = $1 and t.ts_utc >= $2 and t.ts_utc < $3 and %s
      ) as q
      cross join lateral unnest($6::text[]) with ordinality as u(c, o)
      where q.n[u.o] >= 100
      on conflict do nothing$q$,
        (select string_agg(format('count(t.%I)', c), ', ' order by o) from unnest(v_missing) with ordinality as u(c, o)),
        (select string_agg(format('coalesce(percentile_disc(%s) within group (order by t.%I), array_fill(null::float8, array[31]))', v_qs, c), ', ' order by o)
           from unnest(v_missing) with ordinality as u(c, o)),
        p_family, c_sampled)
      using p_pair, v_m_from, v_m_to, p_family, v_month, v_missing;
    end if;

    -- each column's histogram, with its edges written in, all of them concatenated (a column without
    -- edges yet has no histogram): where each starts (v_off) and how many bins it has (v_len, 0: none)
    -- (no column with edges yet, as when every column of the month is NULL: still an aggregate, one row)
    select coalesce(string_agg(format('bqx.feature_stats_bin_counts(array_agg(width_bucket(t.%I, %L::float8[])), %s)',
                                      x.c, x.edges, x.len), E'\n      || ' order by x.o)
                      filter (where x.len > 0), 'max(null::bigint[])'),
           array_agg(x.off order by x.o),
           array_agg(x.len order by x.o)
      into v_bins, v_off, v_len
    from (
      select u.c, u.o, e.edges, coalesce(cardinality(e.edges) + 1, 0) as len,
             coalesce(sum(cardinality(e.edges) + 1) over (order by u.o rows between unbounded preceding and 1 preceding), 0)::integer as off
      from unnest(v_cols) with ordinality as u(c, o)
      left join bqx.feature_stats_edges e on e.pair = p_pair and e.family = p_family and e.column_name = u.c
    ) as x;
    v_query := format(v_stats, v_aggs, p_family, v_bins, c_sampled);

    if v_append then
      execute format($q$
      insert into bqx.feature_stats as f
        (pair, family, column_name, month, rows, nulls, mean, m2, min, max, hist, through)
      select * from (%s
      ) as n
      on conflict (pair, family, column_name, month) do update set
        rows = f.rows + excluded.rows,
        nulls = f.nulls + excluded.nulls,
        mean = case
          when excluded.rows = excluded.nulls then f.mean
          when f.rows = f.nulls then excluded.mean
          else f.mean + (excluded.mean - f.mean) * (excluded.rows - excluded.nulls)
                        / ((f.rows - f.nulls) + (excluded.rows - excluded.nulls))
        end,
        m2 = case
          when excluded.rows = excluded.nulls then f.m2
          when f.rows = f.nulls then excluded.m2
          else f.m2 + excluded.m2 + (excluded.mean - f.mean) ^ 2
                 * (f.rows - f.nulls)::float8 * (excluded.rows - excluded.nulls)
                 / ((f.rows - f.nulls) + (excluded.rows - excluded.nulls))
        end,
        min = least(f.min, excluded.min),
        max = greatest(f.max, excluded.max),
        hist = bqx.feature_stats_hist_add(f.hist, excluded.hist),
        through = greatest(f.through, excluded.through),
        computed_at = now()$q$, v_query)
      using p_pair, v_lo, v_m_to, p_family, v_month, v_cols, v_off, v_len;
    else
      delete from bqx.feature_stats s
      where s.pair = p_pair and s.family = p_family and s.month = v_month;
      execute format($q$
      insert into bqx.feature_stats
        (pair, family, column_name, month, rows, nulls, mean, m2, min, max, hist, through)
      select * from (%s
      ) as n$q$, v_query)
      using p_pair, v_m_from, v_m_to, p_family, v_month, v_cols, v_off, v_len;
    end if;
    get diagnostics v_n = row_count;
    v_written := v_written + v_n;
  end loop;
  return v_written;
end;
$fn$;
