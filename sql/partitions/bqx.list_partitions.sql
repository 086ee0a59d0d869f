-- bqx.list_partitions(p_family, p_pair): the monthly partitions of the store, attached or detached.
-- Contract: NULL arguments mean "all"; reads the catalog only (no locks); row counts are the planner's
-- estimates (reltuples, -1 before the first analyze), which is what a DBA wants from a listing.
create or replace function bqx.list_partitions(p_family text default null, p_pair text default null)
returns table (
  family text,
  pair text,
  partition_name text,
  range_from timestamptz,
  range_to timestamptz,
  attached boolean,
  est_rows bigint
)
language sql
stable
as $$
  select f.family, p.pair, c.relname::text,
         make_timestamptz(m[1]::int, m[2]::int, 1, 0, 0, 0, 'UTC') as range_from,
         (make_timestamp(m[1]::int, m[2]::int, 1, 0, 0, 0) + interval '1 month') at time zone 'UTC' as range_to,
         exists (select 1 from pg_inherits i where i.inhrelid = c.oid),
         c.reltuples::bigint
  from bqx.families f
  cross join bqx.pairs p
  join pg_class c on c.relnamespace = 'bqx'::regnamespace and c.relkind in ('r', 'p')
  cross join lateral regexp_match(c.relname, '^' || f.family || '_' || p.pair || '_([0-9]{4})_([0-9]{2})$') m
  where (p_family is null or f.family = p_family)
    and (p_pair is null or p.pair = p_pair)
    and m is not null
  order by f.ord, p.pair, c.relname;
$$;
