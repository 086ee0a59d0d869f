-- $1 cross family: the earliest instant the pairs' kept rows read (NULL: nothing reads it)
select bqx.cross_retention_floor($1) as floor;
