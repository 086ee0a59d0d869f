-- The regression criterion over the demo's pairs ($1): fits, mean R^2 and share above 0.7 per domain and window.
select domain, window_name, sum(fits)::bigint as fits,
       sum(avg_r2 * fits) / nullif(sum(fits), 0) as avg_r2,
       sum(share_r2_above_0_7 * fits) / nullif(sum(fits), 0) as share_r2_above_0_7
from bqx.reg_r2_summary where pair = any($1::text[])
group by domain, window_name, window_bars order by domain desc, window_bars;
