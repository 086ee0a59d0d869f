-- One pair's series in DuckDB: every extracted bar numbered by its place in the pair's whole series
-- ({{bars_before}} bars precede the extract), with its labels joined on the bar's instant.
create or replace view {{series}} as
select (row_number() over (order by r.rowid) - 1 + {{bars_before}})::bigint as bar, r.*, {{label_columns}}
from {{raw}} r
left join {{labels}} l on l.ts_utc = r.ts_utc
