-- The PSI bins of each selected feature: the 1/32 .. 31/32 quantiles of its train values (the same grid
-- bqx.feature_stats uses). {{quantiles}}: one `quantile_disc(x, grid) as x` per feature and line.
select
  {{quantiles}}
from read_parquet({{files}})
