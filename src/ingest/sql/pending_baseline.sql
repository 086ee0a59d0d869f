-- The base instant of pair $1 while its B is not known yet (no row: known, or no baseline row). The ingest
-- then finds its own first bar at or after it, staged (staged_first_bar.sql) or buffered (the fast path).
select b.base_instant from bqx.baselines b where b.pair = $1::text and b.base_close is null;
