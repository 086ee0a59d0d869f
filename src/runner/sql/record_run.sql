-- One row of bqx.refresh_runs per unit.
insert into bqx.refresh_runs (pair, family, range_from, range_to, rows, partitions, started_at, duration_s, status, error, trigger, runner)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
