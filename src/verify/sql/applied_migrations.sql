select name from public.bqx_migrations order by run_on, id;
