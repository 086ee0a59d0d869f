-- One pair's rows as Parquet (snappy), one file per split (hive directories split=...): pair, ts_utc,
-- the features, the labels, in time order; row groups of 20k rows (DuckDB writes row groups in
-- parallel: the default 122,880 rows made one pair-month a single-threaded write, 1.7x slower).
-- Snappy, not zstd: the columns are mostly full-precision doubles, which zstd shrank by only 10% more
-- (2.6 GiB against 2.9 GiB for the demo's dataset) for about 1.5x the CPU of the write.
-- One pass over the dataset view computes every lag window
-- once; the ORDER BY is needed because the partitioned writer does not keep the window's order.
-- On a spine, {{leading}} is the event's columns and rows are in event order.
copy (
  select {{pair}} as pair, {{leading}}ts_utc, {{columns}}, split
  from {{dataset}}
  order by {{order}}
) to {{path}} (format parquet, compression snappy, row_group_size 20000, partition_by (split), overwrite_or_ignore true)
