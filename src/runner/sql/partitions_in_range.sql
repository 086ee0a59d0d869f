-- The attached partitions of ($1 family, $2 pair) that [$3, $4) touches: a large unit analyzes them.
select partition_name from bqx.list_partitions($1, $2)
where attached and range_from < $4 and range_to > $3
order by range_from
