-- Leakage check: for consecutive splits, the earlier split's last row plus the purge
-- ({{max_horizon}} bars) must come before the later split's first row, in bars and in time.
with s as (
  select split, min(bar) as first_bar, max(bar) as last_bar, min(ts_utc) as first_ts, max(ts_utc) as last_ts
  from {{dataset}} group by split
)
select a.split as earlier, b.split as later, a.last_bar, b.first_bar, a.last_ts::varchar as last_ts, b.first_ts::varchar as first_ts
from s a join s b on (a.split = 'train' and b.split = 'validation') or (a.split = 'validation' and b.split = 'test')
where a.last_bar + {{max_horizon}} >= b.first_bar or a.last_ts >= b.first_ts
