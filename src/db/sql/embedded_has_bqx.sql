-- Whether the database holds a bqx store (its schema).
select to_regnamespace('bqx') is not null as ok;
