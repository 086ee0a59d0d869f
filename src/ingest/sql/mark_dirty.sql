-- Late bars: where an ingest inserted bars at or before a family's watermark ($1 pairs, $2 the earliest
-- inserted bar per pair), that family must recompute from there; the runner reads dirty_from.
update bqx.watermarks w
set dirty_from = least(coalesce(w.dirty_from, x.first_ts), x.first_ts), updated_at = now()
from (select unnest($1::text[]) as pair, unnest($2::timestamptz[]) as first_ts) x
where w.pair = x.pair and w.refreshed_through is not null and x.first_ts <= w.refreshed_through
