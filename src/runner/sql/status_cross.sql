-- `bqx status`: each cross-sectional family's watermark, retry state, pending dirty spans and months.
select w.family, w.refreshed_through as watermark, w.failures, w.retry_at, w.last_error,
       (select count(*) from bqx.cross_dirty_ranges d where d.family = w.family)::int as dirty_spans,
       (select min(lower(d.span)) from bqx.cross_dirty_ranges d where d.family = w.family) as dirty_from,
       (select count(*) from bqx.list_partitions(w.family, null) p where p.attached)::int as partitions
from bqx.cross_watermarks w
order by w.family
