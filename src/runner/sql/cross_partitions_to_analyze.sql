-- The months of cross-sectional family $1 that [$2, $3) touches and that have no statistics yet (reltuples
-- -1), or all of them when $4: a reader's refresh joins them, and planned blind (never analyzed) it took
-- 85 s instead of 0.3 s for six hours of one pair.
select partition_name from bqx.list_partitions($1, null)
where attached and range_to > $2 and range_from < $3 and (est_rows < 0 or $4::boolean)
