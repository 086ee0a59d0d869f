-- What sql/ files were applied: checksum, the live definition's md5 at the time, and (functions) the
-- signatures the file defined.
select path, object_name, kind, checksum, live_md5, signatures from bqx.sql_objects;
