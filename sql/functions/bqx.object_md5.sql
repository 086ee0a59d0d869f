-- bqx.object_md5(p_kind, p_name): md5 of the live definition of a managed object ('function': all
-- overloads of schema.name, via pg_get_functiondef; 'view': pg_get_viewdef). NULL when it does not exist.
-- Recorded by `bqx migrate` when it applies a sql/ file and recomputed by `bqx doctor` to spot objects
-- edited in the database behind the files' back.
create or replace function bqx.object_md5(p_kind text, p_name text)
returns text
language sql
stable
as $$
  select case p_kind
    when 'function' then (
      select md5(string_agg(pg_get_functiondef(p.oid), E'\n' order by p.oid::regprocedure::text))
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = split_part(p_name, '.', 1) and p.proname = split_part(p_name, '.', 2))
    when 'view' then (
      select md5(pg_get_viewdef(c.oid))
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = split_part(p_name, '.', 1) and c.relname = split_part(p_name, '.', 2) and c.relkind in ('v', 'm'))
  end;
$$;

-- read-only (catalog definitions): bqx doctor runs as a reader too
grant execute on function bqx.object_md5(text, text) to bqx_reader;
