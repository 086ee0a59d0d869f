-- bqx.feature_stats_refresh(p_pair, p_family, p_from, p_to): brings bqx.feature_stats up to date for the
-- months [p_from, p_to) touches, after a refresh of that range (the runner calls it inside the unit's
-- transaction, so the statistics commit or roll back with the rows they describe).
-- Contract:
--   in:    a known pair and family (the family's feature columns come from bqx.feature_catalog; a
--          family without any, m1 or labels, writes nothing) and a half-open range.
--   out:   statistics rows written.
--   does:  per month touched: when the month's rows were counted through a bar before p_from and
--          nothing else changed (an appending refresh, the runner's usual tick), counts only
--          [p_from, month end) and merges it into the month (counts and histograms add, means and
--          squared deviations combine as in Chan et al.'s parallel variance); otherwise first fixes the
--          bin edges of any column that has none yet, from this month's values
--          (bqx.feature_stats_edges, never moved afterwards), then counts the whole month again.
--   reads: the family's rows of the pair in those months: one wide aggregate for the moments, one
--          unpivoted scan of every 8th minute's bars for the histograms (and one for new edges).
--   locks: none of its own; rows of (p_pair, p_family) only, which the unit's advisory lock serialises.
create or replace function bqx.feature_stats_refresh(p_pair text, p_family text, p_from timestamptz, p_to timestamptz)
returns bigint
language plpgsql
set jit = off
as $fn$
declare
  v_cols text[];
  v_values text;
  v_scan text;
  v_stats text;
  v_aggs text;
  v_bins text;
  v_query text;
  v_unpivot text;
  v_month date;
  v_m_from timestamptz;
  v_m_to timestamptz;
  v_lo timestamptz;
  v_missing text[];
  v_through timestamptz;
  v_rows bigint;
  v_month_rows bigint;
  v_append boolean;
  v_written bigint := 0;
  v_n bigint;
begin
  perform bqx.assert_pair(p_pair);
  perform bqx.assert_family(p_family);
  select array_agg(c.column_name order by c.ord) into v_cols
  from bqx.feature_catalog c
  where c.family = p_family and c.counts_as_feature;
  if v_cols is null or p_to <= p_from then
    return 0;
  end if;

  -- the family's row unpivoted to (column_name, x), one line per column
  select string_agg(format('(%L, t.%I)', c, c), E',\n    ' order by o) into v_values
  from unnest(v_cols) with ordinality as u(c, o);
  v_scan := format($q$
  from bqx.%I as t
  cross join lateral (values
    %s
  ) as u(column_name, x)
  left join bqx.feature_stats_edges as e
    on e.pair = $1 and e.family = $4 and e.column_name = u.column_name
  where t.pair = $1 and t.ts_utc >= $2 and t.ts_utc < $3$q$, p_family, v_values);

  -- the moments in one wide aggregate (five per column, one line per column), unpivoted afterwards
  select string_agg(format('count(t.%1$I) as n%2$s, avg(t.%1$I) as a%2$s, var_pop(t.%1$I) * count(t.%1$I) as q%2$s, min(t.%1$I) as l%2$s, max(t.%1$I) as h%2$s', c, o), E',\n      ' order by o),
         string_agg(format('(%L, m.n%s, m.a%s, m.q%s, m.l%s, m.h%s)', c, o, o, o, o, o), E',\n      ' order by o)
    into v_aggs, v_unpivot
  from unnest(v_cols) with ordinality as u(c, o);

  -- the histogram counts the bars of every 8th UTC minute only (a fixed subset, so it merges across
  -- ranges and months like the counts do): an eighth of the cost, and still thousands of values a month
  v_stats := format($q$
  with m as (
    select
      count(*) as rows,
      max(t.ts_utc) as through,
      %s
    from bqx.%I as t
    where t.pair = $1 and t.ts_utc >= $2 and t.ts_utc < $3
  ),
  s as (
    select m.rows, m.through, v.*
    from m
    cross join lateral (values
      %s
    ) as v(column_name, n, mean, m2, min, max)
    where m.rows > 0
  ),
  h as materialized (
    select b.column_name, b.bin, count(*) as c
    from bqx.%I as t
    cross join lateral (values
      %s
    ) as b(column_name, bin)
    where t.pair = $1 and t.ts_utc >= $2 and t.ts_utc < $3
      and (extract(epoch from t.ts_utc)::bigint / 60) %%%% 8 = 0
      and b.bin is not null
    group by 1, 2
  )
  select
    $1 as pair,
    $4 as family,
    s.column_name,
    $5::date as month,
    s.rows,
    s.rows - s.n as nulls,
    s.mean,
    s.m2,
    s.min,
    s.max,
    (select array(
       select coalesce(h.c, 0)
       from generate_series(0, cardinality(e.edges)) as i
       left join h on h.column_name = s.column_name and h.bin = i
       order by i)
     from bqx.feature_stats_edges as e
     where e.pair = $1 and e.family = $4 and e.column_name = s.column_name) as hist,
    s.through
  from s$q$, v_aggs, p_family, v_unpivot, p_family, '%s');

  for v_month in
    select generate_series(date_trunc('month', p_from at time zone 'UTC'),
                           date_trunc('month', (p_to - interval '1 microsecond') at time zone 'UTC'),
                           interval '1 month')::date
  loop
    v_m_from := v_month::timestamp at time zone 'UTC';
    v_m_to := (v_month + interval '1 month')::timestamp at time zone 'UTC';
    v_lo := greatest(p_from, v_m_from);


    -- an appending refresh: every column's month row exists, was counted through a bar before the
    -- range and holds a histogram if its column has edges, and no row before the range changed count
    select max(s.through), max(s.rows), count(*) into v_through, v_rows, v_n
    from bqx.feature_stats s
    where s.pair = p_pair and s.family = p_family and s.month = v_month and s.column_name = any(v_cols)
      and (s.hist is not null or not exists (select 1 from bqx.feature_stats_edges e
           where e.pair = s.pair and e.family = s.family and e.column_name = s.column_name));
    v_append := v_n = cardinality(v_cols) and v_through < v_lo and v_lo > v_m_from;
    if v_append then
      execute format('select count(*) from bqx.%I where pair = $1 and ts_utc >= $2 and ts_utc < $3', p_family)
        into v_month_rows using p_pair, v_m_from, v_lo;
      v_append := v_month_rows = v_rows;
    end if;

    select array_agg(c) into v_missing
    from unnest(v_cols) as c
    where not exists (select 1 from bqx.feature_stats_edges e
                      where e.pair = p_pair and e.family = p_family and e.column_name = c);
    -- (only when the month is counted again: an appending tick never pays for a column that has no
    -- edges because it has too few values yet)
    if v_missing is not null and not v_append then
      -- the 1/32 .. 31/32 quantiles of the month's sampled bars (every 8th minute, as the histograms),
      -- duplicates removed; 100 values at least
      execute format($q$
      insert into bqx.feature_stats_edges (pair, family, column_name, edges, reference_month)
      select $1, $4, q.column_name, array(select distinct v from unnest(q.qs) as v where v = v order by v), $5
      from (
        select u.column_name, percentile_disc(array(select k / 32.0 from generate_series(1, 31) as k)::float8[])
                 within group (order by u.x) as qs
        %s
          and (extract(epoch from t.ts_utc)::bigint / 60) %% 8 = 0
          and u.x is not null
          and u.column_name = any($6)
        group by u.column_name
        having count(*) >= 100
      ) as q
      on conflict do nothing$q$, v_scan)
      using p_pair, v_m_from, v_m_to, p_family, v_month, v_missing;
    end if;

    -- each column's bin, with its edges written in (a column without edges yet has no histogram)
    select string_agg(case when e.edges is null then format('(%L, null::integer)', u.c)
                           else format('(%L, width_bucket(t.%I, %L::float8[]))', u.c, u.c, e.edges) end,
                      E',\n      ' order by u.o)
      into v_bins
    from unnest(v_cols) with ordinality as u(c, o)
    left join bqx.feature_stats_edges e on e.pair = p_pair and e.family = p_family and e.column_name = u.c;
    v_query := format(v_stats, v_bins);

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
      using p_pair, v_lo, v_m_to, p_family, v_month;
    else
      delete from bqx.feature_stats s
      where s.pair = p_pair and s.family = p_family and s.month = v_month;
      execute format($q$
      insert into bqx.feature_stats
        (pair, family, column_name, month, rows, nulls, mean, m2, min, max, hist, through)
      select * from (%s
      ) as n$q$, v_query)
      using p_pair, v_m_from, v_m_to, p_family, v_month;
    end if;
    get diagnostics v_n = row_count;
    v_written := v_written + v_n;
  end loop;
  return v_written;
end;
$fn$;
