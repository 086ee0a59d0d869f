-- Violations: a feature whose NULL share jumps from one month to the next by more than 5 points (a
-- source column gone missing, a broken refresh), among the columns that are not NULL by their own
-- definition (catalog `sparse`). Months with fewer than 1,000 rows (a month just begun) are not judged.
select s.pair, s.family, s.column_name, s.month, p.null_share as previous_null_share, s.null_share
from bqx.feature_stats s
join bqx.feature_stats p
  on p.pair = s.pair and p.family = s.family and p.column_name = s.column_name
 and p.month = (s.month - interval '1 month')::date
join bqx.feature_catalog c on c.family = s.family and c.column_name = s.column_name
where not c.sparse
  and s.rows >= 1000
  and p.rows >= 1000
  and s.null_share > p.null_share + 0.05
order by 1, 2, 3, 4
