-- $1 family, $2 pair, $3 from, $4 to, $5 premake months (NULL: the setting)
select bqx.ensure_partitions($1, $2, $3, $4, $5) as created;
