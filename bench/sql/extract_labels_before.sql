-- The extract's labels query before issue 20 (ordered by ts_utc alone: hash joins and a sort), for
-- bench/dataset.bench.ts's side-by-side with src/pipeline/sql/pg_extract_labels.sql.
-- One pair's labels (spec section 6) from the pair's labels table, never from a feature view.
copy (
  select ts_utc, {{columns}}
  from {{table}}
  where ts_utc >= $1 and ts_utc < $2
  order by ts_utc
) to stdout (format binary)
