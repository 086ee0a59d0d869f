-- The event spine (bqx dataset build --spine): every row of {{source}} numbered in file order
-- (event), its pair and its instant ts as TIMESTAMPTZ (a zoneless text or TIMESTAMP is UTC: the
-- session's zone), and the other columns carried through as they are.
create or replace table spine as
select (row_number() over () - 1)::bigint as event,
       lower(trim(pair::varchar)) as pair,
       try_cast(ts::varchar as timestamptz) as ts,
       ts::varchar as ts_text
       {{carried}}
from {{source}}
