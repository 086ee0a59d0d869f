-- Whether the store's schema exists yet (bqx.sql_objects comes with the first migration).
select to_regclass('bqx.sql_objects') is not null as ok;
