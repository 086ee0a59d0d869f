-- OBV of technical_rate just before the read start ($2), and the close the next bar compares with. The
-- stored OBV of the bar before the read start is exact (an integer running total) and costs one lookup;
-- without one (a first refresh, a bar without volume) it is summed from the series start: the first bar
-- contributes its volume, every later one +-volume by the sign of its close change (TA-Lib), bars without
-- a close are skipped, bars without volume add nothing.
with prev as (
  select ts_utc, rate_index as c from bqx.m1
  where pair = $1 and ts_utc < $2 and rate_index is not null order by ts_utc desc limit 1
)
select coalesce(
         (select t.obv from bqx.technical_rate t join prev on t.pair = $1 and t.ts_utc = prev.ts_utc),
         (select coalesce(sum(case when pc is null then v else sign(c - pc) * v end), 0)
          from (select rate_index as c, volume as v, lag(rate_index) over (order by ts_utc) as pc
                from bqx.m1 where pair = $1 and ts_utc < $2 and rate_index is not null) q)) as obv,
       (select c from prev) as last_close
