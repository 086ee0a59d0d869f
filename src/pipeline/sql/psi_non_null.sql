-- A split's rows and, per feature, its non-NULL values (NaN counted, as count() counts it): the n of
-- the train/test PSI's bins. {{counts}}: one `count(x) as cK` per feature and line.
select
  count(*) as rows,
  {{counts}}
from {{source}}
