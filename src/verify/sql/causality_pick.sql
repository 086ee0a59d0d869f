-- A sampled bar of one family and pair: the row at fraction $2 of the pair's rows in time order.
-- {{table}} is a catalog family, quoted.
select ts_utc from {{table}}
where pair = $1
order by ts_utc
offset floor($2::float8 * (select count(*) from {{table}} where pair = $1))::bigint
limit 1
