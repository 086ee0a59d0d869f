-- Spine rows that cannot be events: no pair, a pair not among {{pairs}}, or a missing or unparsable
-- instant. The first rows of each kind, with their line in the file (event + 2: a header line).
select event + 2 as line, pair, ts_text,
       case when pair is null or pair = '' then 'no pair'
            when not list_contains({{pairs}}, pair) then 'unknown pair'
            else 'ts is not an instant' end as reason
from spine
where pair is null or not list_contains({{pairs}}, pair) or ts is null
order by event
limit 20
