-- Whether any migration has run (node-pg-migrate creates public.bqx_migrations on the first).
select to_regclass('public.bqx_migrations') is not null as ok;
