-- The recorded sha256 of each applied migration (empty before migration 1764900000000 ran).
select name, sha256, source from bqx.migration_checksums;
