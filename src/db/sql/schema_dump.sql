-- A normalised description of schema bqx, one fact per line, built from catalog queries so it reads
-- the same on every supported PostgreSQL version (no pg_dump, no pg_get_viewdef text): tables with
-- their columns, constraints, indexes and triggers; the per-pair list partitions; views as their
-- columns; functions as signature, result, language, volatility, security, settings and a sha256 of
-- their source; the privileges of the roles the migrations create (bqx_*). The month partitions are
-- left out: they come and go with the data. Compared with sql/schema/bqx.schema.txt by a test.
with rels as (
  select c.oid, c.relname, c.relkind, c.relispartition,
    (select i.inhparent::regclass::text from pg_inherits i where i.inhrelid = c.oid) as parent
  from pg_class c
  where c.relnamespace = 'bqx'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S')
),
-- tables, views and per-pair partitions: everything but partitions of partitions (the months)
kept as (
  select r.* from rels r
  where not r.relispartition
     or not exists (select 1 from pg_class p where p.oid = r.parent::regclass and p.relispartition)
),
views as (
  select x.relname, x.n, x.cols, encode(sha256(convert_to(x.cols, 'UTF8')), 'hex') as sha
  from (
    select k.relname, count(*) as n, string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum) as cols
    from kept k join pg_attribute a on a.attrelid = k.oid and a.attnum > 0 and not a.attisdropped
    where k.relkind in ('v', 'm')
    group by k.relname
  ) x
),
lines as (
  select format('relation bqx.%s %s%s', k.relname,
           case k.relkind when 'r' then 'table' when 'p' then 'partitioned table' when 'v' then 'view' when 'm' then 'materialized view' else 'sequence' end,
           case when k.relispartition then format(' partition of %s %s', k.parent, pg_get_expr(c.relpartbound, c.oid)) else '' end
           || coalesce(' ' || pg_get_partkeydef(c.oid), '')) as line
  from kept k join pg_class c on c.oid = k.oid
  union all
  -- columns of tables (a partition has its parent's), in their order
  select format('column bqx.%s %s %s %s%s%s', k.relname, lpad(row_number() over (partition by k.oid order by a.attnum)::text, 3, '0'),
           quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
           case when a.attnotnull then ' not null' else '' end,
           case when a.attgenerated = 's' then ' generated always as ' || pg_get_expr(d.adbin, d.adrelid) || ' stored'
                when d.adbin is not null then ' default ' || pg_get_expr(d.adbin, d.adrelid) else '' end)
  from kept k
  join pg_attribute a on a.attrelid = k.oid and a.attnum > 0 and not a.attisdropped
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where not k.relispartition and k.relkind in ('r', 'p')
  union all
  -- a view as its columns: the pair views share one list of hundreds, so each view names the sha256
  -- of its list and each distinct list is spelled out once
  select format('view bqx.%s %s columns %s', v.relname, v.n, left(v.sha, 16)) from views v
  union all
  select distinct format('view columns %s: %s', left(v.sha, 16), v.cols) from views v
  union all
  select format('constraint bqx.%s %s %s', k.relname, quote_ident(n.conname), pg_get_constraintdef(n.oid))
  from kept k join pg_constraint n on n.conrelid = k.oid
  where not k.relispartition and n.contype <> 'n' -- PostgreSQL 18 records NOT NULL as constraints too
  union all
  select format('index bqx.%s %s', k.relname, pg_get_indexdef(x.indexrelid))
  from kept k join pg_index x on x.indrelid = k.oid
  where not k.relispartition
  union all
  select format('trigger bqx.%s %s', k.relname, pg_get_triggerdef(t.oid))
  from kept k join pg_trigger t on t.tgrelid = k.oid
  where not t.tgisinternal and t.tgparentid = 0
  union all
  select format('function %s returns %s language %s %s%s%s source %s', p.oid::regprocedure,
           pg_get_function_result(p.oid), l.lanname,
           case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
           case when p.prosecdef then ' security definer' else '' end,
           coalesce(' set ' || array_to_string(p.proconfig, ' set '), ''),
           encode(sha256(convert_to(p.prosrc, 'UTF8')), 'hex'))
  from pg_proc p join pg_language l on l.oid = p.prolang
  where p.pronamespace = 'bqx'::regnamespace
  union all
  -- privileges of the store's roles; MAINTAIN (PostgreSQL 17+) is left out so versions compare
  select format('grant %s on bqx.%s to %s', string_agg(a.privilege_type || case when a.is_grantable then ' with grant option' else '' end, ', ' order by a.privilege_type), k.relname, g.rolname)
  from kept k join pg_class c on c.oid = k.oid, aclexplode(c.relacl) a join pg_roles g on g.oid = a.grantee
  where g.rolname like 'bqx\_%' and a.privilege_type <> 'MAINTAIN'
  group by k.relname, g.rolname
  union all
  select format('grant %s on function %s to %s', a.privilege_type, p.oid::regprocedure, case when a.grantee = 0 then 'public' else g.rolname end)
  from pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a left join pg_roles g on g.oid = a.grantee
  where p.pronamespace = 'bqx'::regnamespace and (a.grantee = 0 or g.rolname like 'bqx\_%')
  union all
  select format('grant %s on schema bqx to %s', a.privilege_type, g.rolname)
  from pg_namespace n, aclexplode(n.nspacl) a join pg_roles g on g.oid = a.grantee
  where n.nspname = 'bqx' and g.rolname like 'bqx\_%'
  union all
  select format('default privilege on %s in schema bqx: grant %s to %s',
           case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions' when 'T' then 'types' else d.defaclobjtype::text end,
           a.privilege_type, case when a.grantee = 0 then 'public' else g.rolname end)
  from pg_default_acl d, aclexplode(d.defaclacl) a left join pg_roles g on g.oid = a.grantee
  where d.defaclnamespace = 'bqx'::regnamespace and a.privilege_type <> 'MAINTAIN'
  union all
  select format('owner bqx.%s %s', k.relname, g.rolname)
  from kept k join pg_class c on c.oid = k.oid join pg_roles g on g.oid = c.relowner
  where g.rolname like 'bqx\_%'
  union all
  select format('role %s login=%s inherit=%s member of %s', r.rolname, r.rolcanlogin, r.rolinherit,
           coalesce((select string_agg(m.rolname, ',' order by m.rolname) from pg_auth_members am join pg_roles m on m.oid = am.roleid where am.member = r.oid), '-'))
  from pg_roles r
  where r.rolname in ('bqx_owner', 'bqx_writer', 'bqx_reader')
)
-- one line per fact: expressions that Postgres prints over several lines are joined
select regexp_replace(line, '\s*\n\s*', ' ', 'g') as line from lines order by regexp_replace(line, '\s*\n\s*', ' ', 'g') collate "C";
