-- One pair's dataset rows (spec section 7): the features, their lags by row shift over the whole
-- extracted series (so a lag of the first rows in range reads history before --from), the labels,
-- and the split by the shared cut instants. Kept: rows in [row_from, row_to) (the whole range [from,
-- to), or one chunk of it whose series holds the bars its lags and labels reach) past the set's warm-up whose
-- furthest label bar (bar + {{max_horizon}}) lies before the end of their own split, i.e. the last
-- {{max_horizon}} bars before each cut are purged. A view: the lag windows are computed once, while
-- the rows stream into Parquet, and checks that read a few columns prune the rest.
create or replace view {{dataset}} as
select * exclude (label_end_ts)
from (
  select bar, ts_utc,
    case when ts_utc < {{cut1}} then 'train' when ts_utc < {{cut2}} then 'validation' else 'test' end as split,
    {{feature_columns}},
    {{label_columns}},
    lead(ts_utc, {{max_horizon}}) over w as label_end_ts
  from {{series}}
  window w as (order by ts_utc)
)
where ts_utc >= {{row_from}} and ts_utc < {{row_to}}
  and bar >= {{warmup}}
  and label_end_ts is not null
  and label_end_ts < case split when 'train' then {{cut1}} when 'validation' then {{cut2}} else {{to}} end
