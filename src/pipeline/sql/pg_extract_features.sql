-- One pair's feature columns, by bar, from its analyst view. {{view}} and {{columns}} are quoted
-- catalog names; $1 start, $2 end (exclusive) are literals (COPY takes no bind parameters).
copy (
  select ts_utc, {{columns}}
  from {{view}}
  where ts_utc >= $1 and ts_utc < $2
  order by ts_utc
) to stdout (format binary)
