-- The md5 of a managed object's live definition ($1 kind, $2 schema.name).
select bqx.object_md5($1, $2) as md5;
