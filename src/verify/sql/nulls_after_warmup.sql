-- One family and pair ($1), from its warm-up start ($2) on: rows and the NULLs in them over the judged
-- columns, counted per row by num_nulls ({{nulls}}: num_nulls(t."a", ...) + ..., in chunks below the
-- 100-argument limit). One call per row instead of one aggregate per column and row; constant pair and
-- start, so the plan reads only the pair's own partitions. When a pair's NULLs are under the threshold,
-- no column can be over it and the per-column counts are skipped.
select count(*)::bigint as total, coalesce(sum({{nulls}}), 0)::bigint as nulls
from {{table}} t
where t.pair = $1 and t.ts_utc >= $2
