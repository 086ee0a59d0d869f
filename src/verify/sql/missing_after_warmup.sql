-- One family, per pair: rows and non-NULL counts of each feature column after the warm-up, i.e. from the
-- $1-th bar of the pair's series in bqx.m1 on (the longest lookback in the store, with the bqx domain's
-- own offset). One scan of the family table; each pair's start is one index probe of bqx.m1, not a sort
-- of its whole series. {{table}} and {{counts}} (count(t."col"), ... in catalog order) are built from the
-- catalog with quoted names. MATERIALIZED: inlined, the probe would run once per row of the join, not per pair.
with start as materialized (
  select p.pair,
         (select m.ts_utc from bqx.m1 m where m.pair = p.pair order by m.ts_utc offset $1::int - 1 limit 1) as start_ts
  from bqx.pairs p
)
select t.pair, count(*)::bigint as total, array[{{counts}}]::bigint[] as non_null
from {{table}} t
join start s on s.pair = t.pair and t.ts_utc >= s.start_ts
group by t.pair
order by t.pair
