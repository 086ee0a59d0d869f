-- One pair's labels (spec section 6) from the pair's labels table, never from a feature view. Ordered
-- by (pair, ts_utc), the key's order (the table holds one pair), so the primary key scan needs no sort.
copy (
  select ts_utc, {{columns}}
  from {{table}}
  where ts_utc >= $1 and ts_utc < $2
  order by pair, ts_utc
) to stdout (format binary)
