-- Leakage check: no label reads past its split. A row's labels read up to bar + {{max_horizon}};
-- counted independently of the lead() that built the split, the last bar before each split's end
-- must be at or after every row's furthest label bar.
with ends as (
  select 'train' as split, {{cut1}} as split_end union all
  select 'validation', {{cut2}} union all
  select 'test', {{to}}
), last_bar as (
  select e.split, e.split_end, (select max(bar) from {{series}} s where s.ts_utc < e.split_end) as last_bar
  from ends e
)
select d.split, max(d.bar) + {{max_horizon}} as furthest_label_bar, l.last_bar, l.split_end::varchar as split_end
from {{dataset}} d join last_bar l using (split)
group by d.split, l.last_bar, l.split_end
having max(d.bar) + {{max_horizon}} > l.last_bar
