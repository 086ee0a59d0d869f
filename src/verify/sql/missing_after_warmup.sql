-- One family, per pair: rows and non-NULL counts of each feature column after the warm-up, i.e. from the
-- $1-th bar of the pair's series in bqx.m1 on (the longest lookback in the store, with the bqx domain's
-- own offset). The costly scan (one aggregate per column and row, over every pair): verify runs it only for
-- a family where nulls_after_warmup.sql found a pair over the threshold. {{table}} and {{counts}}
-- (count(t."col"), ... in catalog order) are built from the catalog with quoted names.
select p.pair, x.total, x.non_null
from bqx.pairs p
cross join lateral (
  select m.ts_utc as start_ts from bqx.m1 m where m.pair = p.pair order by m.ts_utc offset $1::int - 1 limit 1
) s
cross join lateral (
  select count(*)::bigint as total, array[{{counts}}]::bigint[] as non_null
  from {{table}} t
  where t.pair = p.pair and t.ts_utc >= s.start_ts
) x
order by p.pair
