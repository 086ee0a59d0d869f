-- Whether any stored bar falls in a staged pair's range: when none does (a fresh load), the conflict
-- check against stored bars has nothing to find and is skipped. $1 pairs, $2 first, $3 last instants.
select exists (
  select 1 from unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) as r(pair, lo, hi)
  where exists (select 1 from bqx.m1 m where m.pair = r.pair and m.ts_utc between r.lo and r.hi)
) as overlap;
