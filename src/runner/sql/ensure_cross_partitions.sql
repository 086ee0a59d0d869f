-- $1 cross family, $2 from, $3 to, $4 premake months (NULL: the setting)
select bqx.ensure_cross_partitions($1, $2, $3, $4) as created;
