-- One pair's dataset rows on the event spine (spec section 10): each event of {{pair}} joined by
-- ASOF JOIN to the latest bar usable at its instant, the bar T with T + 1 min <= ts (a bar is stamped
-- with its open instant and complete a minute later), never a later one; no such bar, no row. The
-- bar's row is the bar dataset's (dataset.sql): features, lags by row shift, labels measured from
-- that bar, and the split of its instant by the shared cuts. An event whose bar is not a dataset row
-- (in the warm-up, outside [from, to), or purged before a cut) has no row either: it cannot take an
-- earlier bar instead, since the ASOF JOIN runs before that filter. Built chunk by chunk, a chunk's
-- series also holds the bars after [row_from, row_to) its labels reach, so an event whose bar lies
-- past the chunk joins that later bar and is left to the next chunk.
create or replace view {{dataset}} as
with bars as (
  select bar, ts_utc, ts_utc + interval 1 minute as usable_at,
    case when ts_utc < {{cut1}} then 'train' when ts_utc < {{cut2}} then 'validation' else 'test' end as split,
    {{feature_columns}},
    {{label_columns}},
    lead(ts_utc, {{max_horizon}}) over w as label_end_ts
  from {{series}}
  window w as (order by ts_utc)
), events as (
  select * exclude (pair, ts_text) from spine where pair = {{pair}}
)
select e.event, e.ts, {{carried}} b.* exclude (usable_at, label_end_ts)
from events e
asof join bars b on e.ts >= b.usable_at
where b.ts_utc >= {{row_from}} and b.ts_utc < {{row_to}}
  and b.bar >= {{warmup}}
  and b.label_end_ts is not null
  and b.label_end_ts < case b.split when 'train' then {{cut1}} when 'validation' then {{cut2}} else {{to}} end
