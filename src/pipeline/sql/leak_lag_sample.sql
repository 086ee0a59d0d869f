-- Leakage check: no feature reads past its row. A seeded sample of the rows written to Parquet
-- ({{files}}) has every lagged column recomputed from the series truncated at the row (bars <= its
-- instant), by bar number instead of the lag() window that built it; a differing row is returned.
with sample as (
  select * from (select * from read_parquet({{files}})) using sample reservoir({{sample_rows}} rows) repeatable ({{seed}})
), d as (
  select s.*, r.bar from sample s join {{series}} r on r.ts_utc = s.ts_utc
)
select d.ts_utc::varchar as ts_utc, list_filter([{{comparisons}}], x -> x is not null) as differing
from d
{{joins}}
where len(list_filter([{{comparisons}}], x -> x is not null)) > 0
