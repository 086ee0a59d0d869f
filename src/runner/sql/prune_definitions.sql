-- The records of ($1 pair, $2 family) whose spans a refresh took over entirely.
delete from bqx.family_definitions where pair = $1 and family = $2 and isempty(spans)
