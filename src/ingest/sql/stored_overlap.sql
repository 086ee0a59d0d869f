-- Whether any stored bar falls in the staged range of pair $1 ($2 first, $3 last instant): when none does
-- (a fresh load), the conflict check has nothing to find and is skipped. The pair is a bind parameter so
-- the planner prunes to that pair's partitions: a statement over all of bqx.m1 would lock every pair's
-- tables, and two ingests of different pairs, each then creating a partition, would deadlock.
select exists (select 1 from bqx.m1 m where m.pair = $1::text and m.ts_utc between $2::timestamptz and $3::timestamptz) as overlap;
