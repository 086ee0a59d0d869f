-- bqx.list_partitions(p_family, p_pair): the monthly partitions of the store, attached or detached.
-- Contract: NULL arguments mean "all"; reads the catalog only (no locks); row counts are the planner's
-- estimates (reltuples, -1 before the first analyze), which is what a DBA wants from a listing.
-- Each relation name is parsed once ({family}_{pair}_{yyyy}_{mm}) and joined to the registries, so the
-- cost grows with the number of relations, not relations x families x pairs. The cross-sectional tables'
-- months are listed too, under their family, with the currency (or '*') as pair.
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
  select family, pair, relname, range_from, range_to, attached, est_rows
  from (
    select f.family, p.pair, c.relname::text as relname,
           make_timestamptz(m[3]::int, m[4]::int, 1, 0, 0, 0, 'UTC') as range_from,
           (make_timestamp(m[3]::int, m[4]::int, 1, 0, 0, 0) + interval '1 month') at time zone 'UTC' as range_to,
           exists (select 1 from pg_inherits i where i.inhrelid = c.oid) as attached,
           c.reltuples::bigint as est_rows, f.ord
    from pg_class c
    cross join lateral regexp_match(c.relname, '^([a-z][a-z0-9_]*)_([a-z]{6})_([0-9]{4})_([0-9]{2})$') m
    join bqx.families f on f.family = m[1]
    join bqx.pairs p on p.pair = m[2]
    where c.relnamespace = 'bqx'::regnamespace and c.relkind in ('r', 'p')
      and m is not null
      and (p_family is null or f.family = p_family)
      and (p_pair is null or p.pair = p_pair)
    union all
    -- the cross-sectional tables (bqx.cross_watermarks lists them): {family}_{currency}_{yyyy}_{mm} for
    -- currency_strength, {family}_{yyyy}_{mm} for one keyed by minute; pair is the currency, or '*' (all pairs)
    select w.family, coalesce(m[1], '*'), c.relname::text,
           make_timestamptz(m[2]::int, m[3]::int, 1, 0, 0, 0, 'UTC'),
           (make_timestamp(m[2]::int, m[3]::int, 1, 0, 0, 0) + interval '1 month') at time zone 'UTC',
           exists (select 1 from pg_inherits i where i.inhrelid = c.oid),
           c.reltuples::bigint, 1000000
    from bqx.cross_watermarks w
    join pg_class c on c.relnamespace = 'bqx'::regnamespace and c.relkind in ('r', 'p') and c.relname like w.family || '\_%'
    cross join lateral regexp_match(c.relname, '^' || w.family || '_(?:([a-z]{3})_)?([0-9]{4})_([0-9]{2})$') m
    where m is not null
      and (p_family is null or w.family = p_family)
      and (p_pair is null or coalesce(m[1], '*') = p_pair)
  ) x
  order by ord, family, pair, relname;
$$;


-- read-only: analysts may list partitions
grant execute on function bqx.list_partitions(text, text) to bqx_reader;
