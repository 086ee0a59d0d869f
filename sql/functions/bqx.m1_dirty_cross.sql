-- bqx.m1_dirty_cross(p_pairs, p_lo, p_hi, p_reason): what the bqx.m1 statement triggers record for the
-- cross-section (README, "Cross-pair families", Late bars), given the changed span [p_lo[i], p_hi[i]] of
-- each pair p_pairs[i]. A bar of any pair changes every cross-sectional family (bqx.cross_watermarks lists
-- them) from its minute on, and with it the cross-pair families (those whose depends_on names one) of
-- every pair: a pair's price is carried for 5 minutes (CARRY_MINUTES, src/features/catalog/currencyStrength.ts),
-- so their span ends 5 minutes after the last changed bar; the planner adds the windows (forwardSpan).
-- One row per (pair, cross family), and one per (pair, cross-pair family) for every pair with bars, per statement.
-- Contract: inserts into bqx.cross_dirty_ranges and bqx.dirty_ranges; takes no locks of its own.
create or replace function bqx.m1_dirty_cross(p_pairs text[], p_lo timestamptz[], p_hi timestamptz[], p_reason text)
returns void
language plpgsql
as $$
declare
  v_lo timestamptz := (select min(x) from unnest(p_lo) x);
  v_hi timestamptz := (select max(x) from unnest(p_hi) x);
begin
  if v_lo is null then
    return;
  end if;
  insert into bqx.cross_dirty_ranges (family, pair, span, reason)
  select w.family, d.pair, tstzrange(d.lo, d.hi, '[]'), p_reason
  from unnest(p_pairs, p_lo, p_hi) as d (pair, lo, hi)
  cross join bqx.cross_watermarks w;
  insert into bqx.dirty_ranges (pair, family, span, reason)
  select p.pair, f.family, tstzrange(v_lo, v_hi + interval '5 minutes', '[]'), p_reason
  from bqx.pairs p
  cross join bqx.families f
  where f.depends_on && (select array_agg(w.family) from bqx.cross_watermarks w)
    -- a pair without bars has nothing to recompute (its first bars are computed in full): no span that
    -- no unit would ever clear. Asked of bqx.m1_rows, the per-month counts, not of bqx.m1: a probe of
    -- every pair's m1 partitions from inside an ingest's statement locks all 28 pairs' tables, which an
    -- ingest of another pair creating its partition then waits on, and it on this one (a deadlock the
    -- concurrent-ingest test hit); the statement's own pairs have bars by definition.
    and (p.pair = any(p_pairs) or exists (select 1 from bqx.m1_rows r where r.pair = p.pair and r.rows > 0));
end;
$$;
