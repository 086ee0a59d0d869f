-- Up Migration
-- Per-feature data quality and drift statistics (issue 19), kept by the runner after every unit.
--
-- bqx.feature_stats_edges: per (pair, family, column) the fixed bin edges every month's histogram of
-- that column is counted on. They are the 1/32 .. 31/32 quantiles (percentile_disc, duplicates removed)
-- of the first month the statistics were computed for with at least 100 values, and they never move
-- after that, so any two months' histograms share their bins and add up (a date range is the sum of its
-- months). Bins are width_bucket's: 0 is below edges[1], i is [edges[i], edges[i+1]), the last is at or
-- above the last edge; a discrete column (a flag, a session) gets one bin per value it took.
create table bqx.feature_stats_edges (
  pair text not null references bqx.pairs (pair),
  family text not null references bqx.families (family),
  column_name text not null,
  edges double precision[] not null,
  reference_month date not null,
  created_at timestamptz not null default now(),
  primary key (pair, family, column_name)
);
comment on table bqx.feature_stats_edges is 'per (pair, family, column): the fixed histogram bin edges (quantiles of a reference month) of bqx.feature_stats';

-- bqx.feature_stats: one row per (pair, family, column, UTC month). rows counts the family's rows, nulls
-- those where the column is NULL; mean, m2 (sum of squared deviations) min and max are over the values,
-- std is the population standard deviation; hist counts the values on the column's edges (NULL until
-- the column has edges); through is the newest bar counted, so an appending refresh merges its rows
-- into the month instead of recounting it.
create table bqx.feature_stats (
  pair text not null references bqx.pairs (pair),
  family text not null references bqx.families (family),
  column_name text not null,
  month date not null check (extract(day from month) = 1),
  rows bigint not null check (rows >= 0),
  nulls bigint not null check (nulls >= 0 and nulls <= rows),
  null_share double precision generated always as (case when rows > 0 then nulls::double precision / rows end) stored,
  mean double precision,
  m2 double precision,
  std double precision generated always as (case when rows > nulls then sqrt(greatest(m2, 0) / (rows - nulls)) end) stored,
  min double precision,
  max double precision,
  hist bigint[],
  through timestamptz,
  computed_at timestamptz not null default now(),
  primary key (pair, family, column_name, month)
);
create index feature_stats_month on bqx.feature_stats (month, family);
comment on table bqx.feature_stats is 'per (pair, family, column, month): rows, null share, mean, std, min, max and a histogram on fixed edges (bqx.feature_stats_edges)';

-- Down Migration
drop table bqx.feature_stats;
drop table bqx.feature_stats_edges;
