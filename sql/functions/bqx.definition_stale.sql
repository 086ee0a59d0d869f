-- bqx.definition_stale(p_families, p_current, p_pairs, p_from, p_to): the rows computed under another
-- definition than the live one, per (pair, family, UTC month, fingerprint they were computed with).
-- Contract:
--   in:    p_families / p_current: the families to check and their live fingerprints (same order, computed
--          by the caller from pg_proc: src/db/liveFingerprints.ts); p_pairs (NULL: all); [p_from, p_to)
--          (NULL: unbounded).
--   out:   one row per stale (pair, family, month, computed_with) with its row count; none when every row
--          carries its family's live fingerprint.
--          A cross-sectional table (bqx.cross_definitions: currency_strength, cross_returns) is listed
--          under pair '*' (all pairs), with every row of the table in the month (8 per minute for
--          currency_strength); p_pairs selects it when it holds '*'.
--   reads: bqx.family_definitions and bqx.cross_definitions, then one range count per stale span on the
--          table's (pair, ts_utc) or ts_utc key, so a store without stale spans reads no family table. No
--          locks beyond the reads.
create or replace function bqx.definition_stale(p_families text[], p_current text[], p_pairs text[] default null,
                                               p_from timestamptz default null, p_to timestamptz default null)
returns table (pair text, family text, month timestamptz, computed_with text, rows bigint)
language plpgsql
stable
as $$
declare
  v record;
begin
  for v in
    select d.pair, d.family, d.fingerprint, s.span * tstzrange(p_from, p_to) as span
    from bqx.family_definitions d
    join unnest(p_families, p_current) as u(family, fp) on u.family = d.family
    cross join lateral unnest(d.spans) as s(span)
    where d.fingerprint is distinct from u.fp
      and (p_pairs is null or d.pair = any(p_pairs))
      and s.span && tstzrange(p_from, p_to)
      and to_regclass(format('bqx.%I', d.family)) is not null
    union all
    select '*', d.family, d.fingerprint, s.span * tstzrange(p_from, p_to)
    from bqx.cross_definitions d
    join unnest(p_families, p_current) as u(family, fp) on u.family = d.family
    cross join lateral unnest(d.spans) as s(span)
    where d.fingerprint is distinct from u.fp
      and (p_pairs is null or '*' = any(p_pairs))
      and s.span && tstzrange(p_from, p_to)
      and to_regclass(format('bqx.%I', d.family)) is not null
    order by 1, 2, 4
  loop
    return query execute format($q$
      select $1, $2, date_trunc('month', t.ts_utc, 'UTC'), $3, count(*)
      from bqx.%I t where %s t.ts_utc >= lower($4) and t.ts_utc < upper($4)
      group by 3 order by 3$q$, v.family, case when v.pair = '*' then '' else 't.pair = $1 and' end)
    using v.pair, v.family, v.fingerprint, v.span;
  end loop;
end;
$$;

grant execute on function bqx.definition_stale(text[], text[], text[], timestamptz, timestamptz) to bqx_reader;
