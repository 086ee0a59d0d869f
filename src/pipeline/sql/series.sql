-- One pair's series in DuckDB: every extracted bar numbered by its place in the pair's whole series
-- ({{bars_before}} bars precede the extract), with its labels joined on the bar's instant. The place
-- is the raw table's rowid: the table is created fresh and only appended to, in the order Postgres
-- sent the bars, so its rowids are 0..n-1 (buildSeries checks it). The same number as
-- row_number() over (order by rowid) - 1, without a window that sorts every column of the extract
-- each time the view is read (validation, the dataset, the leakage checks).
create or replace view {{series}} as
select (r.rowid + {{bars_before}})::bigint as bar, r.*, {{label_columns}}
from {{raw}} r
left join {{labels}} l on l.ts_utc = r.ts_utc
