-- Leakage check on a spine: no event sees a bar that is not complete at its instant, and the bar it
-- sees is the latest complete one. Every written row is held to ts_utc + 1 min <= ts; a seeded
-- sample of {{sample_rows}} rows has its bar found again from the series by a plain max() over the
-- bars complete at ts, independently of the ASOF JOIN that built it. A returned row is a violation.
with written as (
  select * from read_parquet({{files}})
), early as (
  select 'bar not complete at the event' as problem, event, ts::varchar as ts, ts_utc::varchar as bar_ts, null::varchar as expected_ts
  from written where ts_utc + interval 1 minute > ts
), sample as (
  select event, ts, ts_utc from written using sample reservoir({{sample_rows}} rows) repeatable ({{seed}})
), latest as (
  select s.event, s.ts, s.ts_utc, (select max(r.ts_utc) from {{series}} r where r.ts_utc + interval 1 minute <= s.ts) as expected
  from sample s
)
select * from early
union all
select 'not the latest complete bar', event, ts::varchar, ts_utc::varchar, expected::varchar
from latest where expected is distinct from ts_utc
limit 20
