-- The plan's regression criterion, per domain and window: fits (R^2 not NULL) and the share with
-- R^2 > 0.7, pooled over pairs. The same numbers as bqx.reg_r2_summary weighted by fits (a test compares
-- them), in one scan per regression table instead of one per window.
select domain, window_name, fits::bigint as fits, above::float8 / nullif(fits, 0) as share
from (
  select 'rate'::text as domain, v.window_name, v.fits, v.above
  from (select count(r2_idx_w15) as f_w15, count(*) filter (where r2_idx_w15 > 0.7) as a_w15,
         count(r2_idx_w30) as f_w30, count(*) filter (where r2_idx_w30 > 0.7) as a_w30,
         count(r2_idx_w45) as f_w45, count(*) filter (where r2_idx_w45 > 0.7) as a_w45,
         count(r2_idx_w60) as f_w60, count(*) filter (where r2_idx_w60 > 0.7) as a_w60,
         count(r2_idx_w75) as f_w75, count(*) filter (where r2_idx_w75 > 0.7) as a_w75,
         count(r2_idx_agg) as f_agg, count(*) filter (where r2_idx_agg > 0.7) as a_agg
        from bqx.reg_rate) s
  cross join lateral (values ('w15', f_w15, a_w15), ('w30', f_w30, a_w30), ('w45', f_w45, a_w45), ('w60', f_w60, a_w60), ('w75', f_w75, a_w75), ('agg', f_agg, a_agg)) v(window_name, fits, above)
  union all
  select 'bqx'::text as domain, v.window_name, v.fits, v.above
  from (select count(r2_bqx_w15) as f_w15, count(*) filter (where r2_bqx_w15 > 0.7) as a_w15,
         count(r2_bqx_w30) as f_w30, count(*) filter (where r2_bqx_w30 > 0.7) as a_w30,
         count(r2_bqx_w45) as f_w45, count(*) filter (where r2_bqx_w45 > 0.7) as a_w45,
         count(r2_bqx_w60) as f_w60, count(*) filter (where r2_bqx_w60 > 0.7) as a_w60,
         count(r2_bqx_w75) as f_w75, count(*) filter (where r2_bqx_w75 > 0.7) as a_w75,
         count(r2_bqx_agg) as f_agg, count(*) filter (where r2_bqx_agg > 0.7) as a_agg
        from bqx.reg_bqx) s
  cross join lateral (values ('w15', f_w15, a_w15), ('w30', f_w30, a_w30), ('w45', f_w45, a_w45), ('w60', f_w60, a_w60), ('w75', f_w75, a_w75), ('agg', f_agg, a_agg)) v(window_name, fits, above)
) q
order by domain, window_name
