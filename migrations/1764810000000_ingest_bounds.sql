-- Up Migration
-- Bounds on what one ingest or partition command may do (issue 14), next to max_future. A DBA changes them
-- with plain SQL (update bqx.settings set value = ... where key = ...); every command reads them at call time.
insert into bqx.settings (key, value, description) values
  ('min_ts', '2000-01-01 00:00:00+00', 'bars and partitions before this instant are refused (a 1970 or year-1 bar is a bad timestamp)'),
  ('max_partitions_per_ingest', '200', 'an ingest that would create more m1 partitions than this in its one transaction is refused (run bqx partitions ensure first: it commits per pair)'),
  ('max_range_months', '36', 'partitions ensure and synth refuse a wider --from/--to range unless --force'),
  ('ingest_lock_timeout', '60s', 'how long an ingest waits for the pair lock (or any lock) before it gives up with exit 7, naming the holder'),
  ('max_price_ratio', '4', 'a price further than this factor from the pair''s baseline close B is refused (before B is known: pip_size x 1e3 .. 1e5)')
on conflict (key) do nothing;

-- Down Migration
delete from bqx.settings where key in ('min_ts', 'max_partitions_per_ingest', 'max_range_months', 'ingest_lock_timeout', 'max_price_ratio');
