select partition_name, action from bqx.drop_partitions($1, $2, $3);
