-- Records migrations' sha256 ($1: jsonb array of {name, sha256, source}) unless already recorded:
-- a record is never overwritten, so a file edited later stays different from it.
insert into bqx.migration_checksums (name, sha256, source)
select x.name, x.sha256, x.source from jsonb_to_recordset($1::jsonb) as x(name text, sha256 text, source text)
where exists (select 1 from public.bqx_migrations m where m.name = x.name)
on conflict (name) do nothing;
