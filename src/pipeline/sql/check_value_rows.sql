-- The first offending instants of one column: NaN/Infinity, or NULL past its warm-up.
select ts_utc::varchar as ts_utc
from {{series}}
where ts_utc >= {{from}} and ts_utc < {{to}}
  and (isnan({{column}}) or isinf({{column}}) or ({{column}} is null and bar >= {{warmup}}))
order by ts_utc
limit 5
