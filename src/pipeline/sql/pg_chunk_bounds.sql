-- Where a pair's dataset chunks begin and where their extracts end. $1 pair, $2 from, $3 to, $4 bars
-- per chunk, $5 bars past a chunk that its last rows' labels and purge reach (the largest horizon).
-- k numbers the pair's bars in [$2, $3) from 0: chunk j holds bars j*$4 .. (j+1)*$4 - 1, and its
-- extract runs to bar (j+1)*$4 + $5 (exclusive), so lead(ts_utc, $5) of its last row is a real bar.
select k, ts_utc
from (
  select ts_utc, (row_number() over (order by ts_utc) - 1)::bigint as k
  from bqx.m1
  where pair = $1 and ts_utc >= $2 and ts_utc < $3
) s
where k > 0 and (k % $4 = 0 or (k - $5 >= $4 and (k - $5) % $4 = 0))
order by k
