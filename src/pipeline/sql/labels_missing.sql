-- Dataset rows with a NULL label: the labels table is behind the bars (labels are refreshed like a family).
select count(*) as n, min(ts_utc)::varchar as first_ts, max(ts_utc)::varchar as last_ts
from {{dataset}}
where {{any_null}}
having count(*) > 0
