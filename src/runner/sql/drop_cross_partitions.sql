select partition_name, action from bqx.drop_cross_partitions($1, $2);
