-- What sql/ has recorded, and the md5 of each object's live definition now.
select path, object_name, kind, checksum, live_md5, bqx.object_md5(kind, object_name) as live_now
from bqx.sql_objects order by path;
