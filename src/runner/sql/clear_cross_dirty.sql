-- A cross unit that recomputed everything these spans reach ($1 ids) removes them, in its own transaction.
delete from bqx.cross_dirty_ranges where id = any($1::bigint[])
