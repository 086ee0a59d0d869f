-- Per feature column of {{series}}: NaN or ±Infinity anywhere, and NULLs among the rows in
-- [from, to) that are past the column's warm-up (bar >= its warm-up).
select {{aggregates}}
from {{series}}
where ts_utc >= {{from}} and ts_utc < {{to}}
