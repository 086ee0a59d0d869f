-- Per feature, how many of a split's values lie below each of its edges, and how many values there are.
-- {{counts}}: `count_if(x < e) as "x#k"` per edge and `count(x) as "x#n"`, one per line.
select
  {{counts}}
from read_parquet({{files}})
