select family, pair, partition_name, range_from, range_to, attached, est_rows
from bqx.list_partitions($1, $2);
