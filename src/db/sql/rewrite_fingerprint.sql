-- The records of ($1 family) under $2, the first-algorithm (raw body) fingerprint of the definition live
-- now, moved to $3, the same definition's fingerprint of its layout-free body; merged into a record that
-- holds $3 already. Returns one row per (pair) moved.
with moved as (
  delete from bqx.family_definitions where family = $1 and fingerprint = $2
  returning pair, spans
)
insert into bqx.family_definitions as d (pair, family, fingerprint, spans)
select pair, $1, $3, spans from moved
on conflict (pair, family, fingerprint) do update set spans = d.spans + excluded.spans, updated_at = now()
returning pair
