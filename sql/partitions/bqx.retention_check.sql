-- bqx.retention_check(p_pairs, p_before): why a retention cut at p_before would be unsafe for p_pairs.
-- Contract:
--   in:   pairs, a cut-off instant (partitions whose month ends at or before it would be dropped).
--   out:  one row per problem (pair NULL when it concerns the cut itself); no rows: the cut is safe.
--         A cut is unsafe when it is in the future (it would drop bars still arriving), or when a pair has
--         bars before it that a family has not finished with: never computed, computed through an
--         earlier instant, or marked dirty (a late bar) before the cut.
--   does: reads bqx.watermarks and bqx.m1_rows; no side effects, no locks beyond reading.
create or replace function bqx.retention_check(p_pairs text[], p_before timestamptz)
returns table (pair text, reason text)
language sql
stable
as $$
  select null::text,
         format('the cut %s is in the future (now %s): it would drop every partition, bars still arriving included',
                to_char(p_before at time zone 'UTC', 'YYYY-MM-DD HH24:MI"Z"'), to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI"Z"'))
  where p_before > now()
  union all
  select x.pair,
         case when x.through is null
              then format('%s has bars before the cut whose features were never computed (no watermark)', x.pair)
              else format('the cut %s is past the watermark of %s (every family computed through %s): it would drop bars the store has not finished with',
                          to_char(p_before at time zone 'UTC', 'YYYY-MM-DD HH24:MI"Z"'), x.pair, to_char(x.through at time zone 'UTC', 'YYYY-MM-DD HH24:MI"Z"'))
         end
  from (
    select p.pair,
           (select min(least(w.refreshed_through, coalesce(w.dirty_from, w.refreshed_through)))
              from bqx.watermarks w where w.pair = p.pair having bool_and(w.refreshed_through is not null)) as through
    from unnest(p_pairs) as p(pair)
    where exists (select 1 from bqx.m1_rows r where r.pair = p.pair and r.month < p_before and r.rows > 0)
  ) x
  where x.through is null or p_before > x.through
  order by 1 nulls first;
$$;
