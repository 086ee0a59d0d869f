-- What sql/ files were applied, with their checksum and the live definition's md5 at the time.
select path, checksum, live_md5 from bqx.sql_objects;
