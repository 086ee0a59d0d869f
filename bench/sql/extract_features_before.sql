-- The extract's features query before issue 20 (ordered by ts_utc alone: hash joins and a sort), for
-- bench/dataset.bench.ts's side-by-side with src/pipeline/sql/pg_extract_features.sql.
-- One pair's feature columns, by bar: the pair's m1 table left-joined to the tables of the chosen
-- families only (not the 14-table analyst view: families outside the set are never read), on
-- (pair, ts_utc), so every join can use the tables' primary keys. {{m1}}, {{joins}} and {{columns}}
-- are built from the catalog with quoted names; $1 start, $2 end (exclusive) are literals (COPY
-- takes no bind parameters).
copy (
  select m.ts_utc, {{columns}}
  from {{m1}} m
  {{joins}}
  where m.ts_utc >= $1 and m.ts_utc < $2
  order by m.ts_utc
) to stdout (format binary)
