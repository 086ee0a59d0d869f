-- Why a retention cut would be unsafe ($1 pairs, $2 the cut); no rows: safe (sql/partitions/bqx.retention_check.sql).
select pair, reason from bqx.retention_check($1::text[], $2::timestamptz);
