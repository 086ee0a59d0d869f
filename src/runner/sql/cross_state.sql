-- The cross-sectional families' watermarks and retry state, and their dirty spans (closed, any pair).
select w.family, w.refreshed_through, w.retry_at, w.failures, w.last_error,
       coalesce((select jsonb_agg(jsonb_build_object('id', d.id, 'pair', d.pair, 'span', d.span::text) order by lower(d.span), d.id)
                 from bqx.cross_dirty_ranges d where d.family = w.family), '[]'::jsonb) as dirty
from bqx.cross_watermarks w
order by w.family
