-- One pair's feature columns, by bar: the pair's m1 table left-joined to the tables of the chosen
-- families only (not the 14-table analyst view: families outside the set are never read), on
-- (pair, ts_utc), so every join can use the tables' primary keys. {{m1}}, {{joins}} and {{columns}}
-- are built from the catalog with quoted names; $1 start, $2 end (exclusive) are literals (COPY
-- takes no bind parameters). Ordered by (pair, ts_utc), not ts_utc alone, though {{m1}} holds one pair
-- (a list partition): that is the tables' key order, so on an analyzed store the planner merge-joins
-- their primary key scans and streams rows from the first bar; by ts_utc alone it hash-joined and
-- sorted the whole extract first (spilling to disk at the default work_mem), about half a second per
-- pair-month before the first row. Without statistics both orders get the hash joins and the sort.
copy (
  select m.ts_utc, {{columns}}
  from {{m1}} m
  {{joins}}
  where m.ts_utc >= $1 and m.ts_utc < $2
  order by m.pair, m.ts_utc
) to stdout (format binary)
