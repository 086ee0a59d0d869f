-- Remembers a watched file the runner ingested.
insert into bqx.ingested_files (path, size, mtime, sha256, rows_inserted) values ($1, $2, $3, $4, $5)
on conflict (path) do update set size = excluded.size, mtime = excluded.mtime, sha256 = excluded.sha256,
  rows_inserted = excluded.rows_inserted, ingested_at = now()
