-- OBV of technical_rate just before the read start ($2), and the close it compares the next bar with:
-- the first bar of the series contributes its volume, every later one +-volume by the sign of its close
-- change (TA-Lib), bars without a close are skipped, bars without volume add nothing.
select (select coalesce(sum(case when pc is null then v else sign(c - pc) * v end), 0)
        from (select rate_index as c, volume as v, lag(rate_index) over (order by ts_utc) as pc
              from bqx.m1 where pair = $1 and ts_utc < $2 and rate_index is not null) q) as obv,
       (select rate_index from bqx.m1 where pair = $1 and ts_utc < $2 and rate_index is not null
        order by ts_utc desc limit 1) as last_close
