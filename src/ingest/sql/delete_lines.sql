-- Drops rejected lines from staging ($1: their line numbers), when --reject-file lets the rest load.
delete from pg_temp.bqx_staging where line = any($1::integer[]);
