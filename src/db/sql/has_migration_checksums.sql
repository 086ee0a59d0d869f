-- Whether bqx.migration_checksums exists yet (it does from migration 1764900000000 on).
select to_regclass('bqx.migration_checksums') is not null as ok;
