-- One pair's labels (spec section 6) from the pair's labels table, never from a feature view.
copy (
  select ts_utc, {{columns}}
  from {{table}}
  where ts_utc >= $1 and ts_utc < $2
  order by ts_utc
) to stdout (format binary)
