-- The fast path (ingest.ts): the base instant of pair $1 while its B is not known yet (no row: known, or
-- no baseline row). The ingest then finds its own first bar at or after it among the buffered rows.
select b.base_instant from bqx.baselines b where b.pair = $1::text and b.base_close is null;
