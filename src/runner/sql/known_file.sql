-- Whether a watched file was already ingested as it is now (same path, size and modification time).
select exists (select 1 from bqx.ingested_files where path = $1 and size = $2 and mtime = $3) as known
