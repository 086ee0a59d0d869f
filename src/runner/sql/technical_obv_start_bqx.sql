-- OBV of technical_bqx just before the read start ($2), and the last w15_bqx_return before it: as
-- technical_obv_start_rate.sql (the stored value when there is one, else the sum), on the bars that have
-- a bqx value.
with prev as (
  select x.ts_utc, x.w15_bqx_return as c from bqx.bqx x
  where x.pair = $1 and x.ts_utc < $2 and x.w15_bqx_return is not null order by x.ts_utc desc limit 1
)
select coalesce(
         (select t.obv from bqx.technical_bqx t join prev on t.pair = $1 and t.ts_utc = prev.ts_utc),
         (select coalesce(sum(case when pc is null then v else sign(c - pc) * v end), 0)
          from (select x.w15_bqx_return as c, m.volume as v, lag(x.w15_bqx_return) over (order by m.ts_utc) as pc
                from bqx.m1 m join bqx.bqx x on x.pair = m.pair and x.ts_utc = m.ts_utc
                where m.pair = $1 and m.ts_utc < $2 and x.w15_bqx_return is not null) q)) as obv,
       (select c from prev) as last_close
