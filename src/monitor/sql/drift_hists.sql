-- The histograms of every feature over two month ranges ($1..$2 the baseline, $3..$4 the other, as
-- dates, half-open), summed bin by bin across the months; pairs $5, family $6 (NULL: all). Months
-- whose column has no histogram yet (no edges) are left out, and counted.
with s as (
  select
    f.pair,
    f.family,
    f.column_name,
    f.month >= $3 and f.month < $4 as against,
    f.hist
  from bqx.feature_stats as f
  where f.pair = any($5)
    and ($6::text is null or f.family = $6)
    and ((f.month >= $1 and f.month < $2) or (f.month >= $3 and f.month < $4))
),
bins as (
  select s.pair, s.family, s.column_name, s.against, b.i, sum(b.c) as c
  from s
  cross join lateral unnest(s.hist) with ordinality as b(c, i)
  group by 1, 2, 3, 4, 5
),
sides as (
  select pair, family, column_name, against, array_agg(c::float8 order by i) as hist
  from bins
  group by 1, 2, 3, 4
)
select
  b.pair,
  b.family,
  b.column_name,
  b.hist as baseline,
  a.hist as against
from sides as b
join sides as a using (pair, family, column_name)
join bqx.feature_catalog as c on c.family = b.family and c.column_name = b.column_name
where not b.against and a.against
order by b.pair, c.family, c.ord
