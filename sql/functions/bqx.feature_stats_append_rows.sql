-- bqx.feature_stats_append_rows(p_pair, p_family, p_month, p_from, p_to, p_cols): the statistics of a
-- few new rows of (p_pair, p_family) in [p_from, p_to), one row per column of p_cols, in the shape
-- bqx.feature_stats_refresh merges into the month: what its wide dynamic statement computes, for a tick.
-- Contract:
--   in:    a pair, a family whose table has the columns p_cols, the month [p_from, p_to) lies in.
--   out:   (pair, family, column_name, month, rows, nulls, mean, m2, min, max, hist, through) per
--          column; no row when the range holds no row. hist counts the sampled bars (every 8th UTC
--          minute) in the column's bins (bqx.feature_stats_edges), NULL where the column has none or
--          the range holds no sampled bar (nothing to add to the month's histogram).
--   reads: the family's rows in the range once, through one small dynamic statement (the table is the
--          family's); the rest is static SQL.
--   locks: none.
-- Why it exists: a runner tick appends about five rows a unit, and the wide statement's cost is not the
-- rows but the statement. It has every column's edges written in as literals (90 columns x 31 edges for
-- reg), so each unit parsed and planned a new statement of tens of kilobytes: 10-15 ms a unit, against
-- 1-2 ms of work. Here only the fetch is dynamic (a one-line index scan); the per-column statistics come
-- from the rows unpivoted through jsonb (five rows x 90 columns: a few hundred values, where an unpivot
-- of a month was the slow way), in a statement PL/pgSQL plans once per session. float8 survives jsonb
-- exactly (shortest round-trip text; NaN and infinities as strings), so the values are the ones stored.
create or replace function bqx.feature_stats_append_rows(
  p_pair text, p_family text, p_month date, p_from timestamptz, p_to timestamptz, p_cols text[]
)
returns table (
  pair text,
  family text,
  column_name text,
  month date,
  rows bigint,
  nulls bigint,
  mean float8,
  m2 float8,
  min float8,
  max float8,
  hist bigint[],
  through timestamptz
)
language plpgsql
stable
set jit = off
as $fn$
declare
  v_ts timestamptz[];
  v_docs jsonb[];
begin
  execute format('select array_agg(t.ts_utc order by t.ts_utc), array_agg(to_jsonb(t) order by t.ts_utc)
    from bqx.%I as t where t.pair = $1 and t.ts_utc >= $2 and t.ts_utc < $3', p_family)
    into v_ts, v_docs using p_pair, p_from, p_to;
  if v_ts is null then
    return;
  end if;
  return query
  with r as materialized (
    select
      u.doc,
      -- the histograms' sample, as bqx.feature_stats_refresh draws it (date_part: see there)
      date_part('epoch', u.ts)::bigint / 60 % 8 = 0 as sampled
    from unnest(v_ts, v_docs) as u(ts, doc)
  ),
  v as (
    select c.o, c.c, (r.doc ->> c.c)::float8 as x, r.sampled
    from unnest(p_cols) with ordinality as c(c, o)
    cross join r
  )
  select
    p_pair,
    p_family,
    v.c,
    p_month,
    cardinality(v_ts)::bigint,
    cardinality(v_ts) - count(v.x),
    avg(v.x),
    var_pop(v.x) * count(v.x),
    min(v.x),
    max(v.x),
    -- NULL also when no bar of the range is in the sample (most ticks: 5 bars, 1 in 8 sampled), which
    -- the merge reads as "nothing to add": no bins counted and no histogram rewritten for them
    case
      when e.edges is not null and bool_or(v.sampled) then
        bqx.feature_stats_bin_counts(array_agg(width_bucket(v.x, e.edges)) filter (where v.sampled), cardinality(e.edges) + 1)
    end,
    v_ts[cardinality(v_ts)]
  from v
  left join bqx.feature_stats_edges as e
    on e.pair = p_pair and e.family = p_family and e.column_name = v.c
  group by v.o, v.c, e.edges
  order by v.o;
end;
$fn$;
