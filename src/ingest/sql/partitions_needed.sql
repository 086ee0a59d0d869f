-- How many m1 partitions an ingest would create: the months from each staged pair's first bar through its
-- last plus premake (clamped at now() + max_future, as bqx.ensure_partitions does) that do not exist yet.
-- $1 pairs, $2 first, $3 last instants. Reads the catalog only, so a refused ingest has created nothing.
select coalesce(sum(x.n), 0)::int as needed
from unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) as r(pair, lo, hi)
cross join lateral (
  select count(*) filter (where to_regclass(format('bqx.%I', bqx.month_partition_name('m1', r.pair, g.month))) is null) as n
  from generate_series(
    date_trunc('month', r.lo, 'UTC'),
    least(date_trunc('month', r.hi, 'UTC') + make_interval(months => bqx.setting('premake_months')::int),
          date_trunc('month', now() + bqx.setting('max_future')::interval, 'UTC')),
    interval '1 month') as g(month)
) x;
