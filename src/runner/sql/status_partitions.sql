-- Partitions made against the plan's layout for the data present: every family, for every pair with bars,
-- one partition per month from its first to its last bar plus the premake horizon; and rows per m1 partition.
-- (The cross-sectional tables' months, listed too, are not in the per-pair layout: counted apart by status_cross.sql.)
with spans as (
  select pair, date_trunc('month', min(ts_utc) at time zone 'UTC') as m0, date_trunc('month', max(ts_utc) at time zone 'UTC') as m1
  from bqx.m1 group by pair
), premake as (
  select coalesce((select value::int from bqx.settings where key = 'premake_months'), 2) as n
)
select (select count(*) from bqx.list_partitions() p where p.attached and p.family in (select family from bqx.families))::int as created,
       ((select count(*) from bqx.families) *
        coalesce((select sum((extract(year from age(m1, m0)) * 12 + extract(month from age(m1, m0)))::int + 1 + (select n from premake)) from spans), 0))::int as expected,
       (select count(*) from bqx.m1)::bigint as m1_rows,
       (select count(*) from bqx.list_partitions('m1', null) p where p.attached)::int as m1_partitions
