-- Upserts one bqx.feature_catalog row per catalog column ($1: jsonb array); writes only rows that differ.
insert into bqx.feature_catalog (family, column_name, ord, domain, window_bars, formula, null_rule, laggable, convention, counts_as_feature, sparse)
select * from jsonb_to_recordset($1::jsonb) as x(family text, column_name text, ord int, domain text, window_bars int,
  formula text, null_rule text, laggable boolean, convention text, counts_as_feature boolean, sparse boolean)
on conflict (family, column_name) do update set ord = excluded.ord, domain = excluded.domain,
  window_bars = excluded.window_bars, formula = excluded.formula, null_rule = excluded.null_rule,
  laggable = excluded.laggable, convention = excluded.convention, counts_as_feature = excluded.counts_as_feature,
  sparse = excluded.sparse
where (feature_catalog.ord, feature_catalog.domain, feature_catalog.window_bars, feature_catalog.formula,
       feature_catalog.null_rule, feature_catalog.laggable, feature_catalog.convention, feature_catalog.counts_as_feature, feature_catalog.sparse)
  is distinct from (excluded.ord, excluded.domain, excluded.window_bars, excluded.formula,
       excluded.null_rule, excluded.laggable, excluded.convention, excluded.counts_as_feature, excluded.sparse);
