-- The keys of the two advisory locks a unit ($1 pair, $2 family) can find taken or wait for: its unit
-- lock (try_unit_lock.sql) and the (family, pair) partition lock of bqx.ensure_partitions.
select hashtext('bqx.unit') as unit_class, hashtext($1 || '/' || $2) as unit_key,
       hashtext('bqx.partitions') as partition_class, hashtext($2 || '.' || $1) as partition_key
