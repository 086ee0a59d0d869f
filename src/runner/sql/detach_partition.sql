select bqx.detach_partition($1, $2, $3) as partition_name;
