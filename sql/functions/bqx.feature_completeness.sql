-- bqx.feature_completeness(p_pairs, p_families): per (pair, family, UTC month), the months where a family
-- table does not hold exactly one row per bqx.m1 bar: m1 bars (bqx.m1_rows), the family's rows, and the
-- bars missing (negative: rows for bars that are no longer in bqx.m1). Only violating months are
-- returned, so no rows means every bar has its rows in every family.
-- Contract:
--   in:    p_pairs / p_families: the pairs and families to check (NULL: all); m1 is never checked.
--   out:   one row per incomplete (pair, family, month).
--   reads: bqx.m1_rows (exact, kept by triggers) and one count per family table, grouped by month (an
--          index-only scan of the key when the visibility map allows); identifiers from bqx.families,
--          quoted with %I. Takes no locks beyond those of the reads.
create or replace function bqx.feature_completeness(p_pairs text[] default null, p_families text[] default null)
returns table (pair text, family text, month timestamptz, m1_rows bigint, feature_rows bigint, missing bigint)
language plpgsql
stable
as $$
declare
  v_family text;
begin
  for v_family in
    select f.family from bqx.families f
    where f.family <> 'm1' and (p_families is null or f.family = any(p_families))
      and to_regclass(format('bqx.%I', f.family)) is not null
    order by f.ord
  loop
    return query execute format($q$
      select coalesce(m.pair, x.pair), %L::text, coalesce(m.month, x.month),
             coalesce(m.rows, 0)::bigint, coalesce(x.n, 0)::bigint, (coalesce(m.rows, 0) - coalesce(x.n, 0))::bigint
      from (select r.pair, r.month, r.rows from bqx.m1_rows r
            where r.rows > 0 and ($1::text[] is null or r.pair = any($1))) m
      full join (select t.pair, date_trunc('month', t.ts_utc, 'UTC') as month, count(*) as n
                 from bqx.%I t where $1::text[] is null or t.pair = any($1) group by 1, 2) x
        on x.pair = m.pair and x.month = m.month
      where coalesce(m.rows, 0) <> coalesce(x.n, 0)
      order by 1, 3$q$, v_family, v_family)
    using p_pairs;
  end loop;
end;
$$;

grant execute on function bqx.feature_completeness(text[], text[]) to bqx_reader;
