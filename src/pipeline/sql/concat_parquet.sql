-- One pair's file of a split from its chunks' part files, in the list's order: read_parquet keeps it
-- (the session preserves insertion order), so no sort, and the copy streams row group by row group.
-- Not hive-partitioned: the parts' split= directories would add a split column.
copy (
  select * from read_parquet({{files}}, hive_partitioning = false)
) to {{path}} (format parquet, compression snappy, row_group_size 20000)
