-- Records an applied sql/ file: $1 path, $2 object, $3 kind, $4 checksum, $5 live md5.
insert into bqx.sql_objects (path, object_name, kind, checksum, live_md5, applied_at)
values ($1, $2, $3, $4, $5, now())
on conflict (path) do update set object_name = excluded.object_name, kind = excluded.kind,
  checksum = excluded.checksum, live_md5 = excluded.live_md5, applied_at = now();
