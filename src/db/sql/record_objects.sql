-- Records applied sql/ files ($1: jsonb array of {path, object_name, kind, checksum, signatures}) with
-- the md5 of each live object now; returns each path and that md5 (NULL: the file made no such object).
insert into bqx.sql_objects (path, object_name, kind, checksum, live_md5, signatures, applied_at)
select x.path, x.object_name, x.kind, x.checksum, coalesce(bqx.object_md5(x.kind, x.object_name), ''), x.signatures, now()
from jsonb_to_recordset($1::jsonb) as x(path text, object_name text, kind text, checksum text, signatures text[])
on conflict (path) do update set object_name = excluded.object_name, kind = excluded.kind,
  checksum = excluded.checksum, live_md5 = excluded.live_md5, signatures = excluded.signatures, applied_at = now()
returning path, nullif(live_md5, '') as live_md5;
