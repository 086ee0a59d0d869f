-- What sql/ has recorded, when bqx.object_md5 itself is missing (an interrupted migrate): no live
-- definition can be read, so every recorded object counts as missing (live_now NULL).
select path, object_name, kind, checksum, live_md5, null::text as live_now
from bqx.sql_objects order by path
