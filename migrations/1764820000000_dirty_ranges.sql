-- Up Migration
-- The runner plans from ranges of dirty bars (issue 14): one row per (pair, family) and span of bqx.m1
-- whose bars were inserted, updated or deleted since the family last computed them. Rows are written by
-- statement triggers on bqx.m1 (sql/functions/bqx.m1_dirty_*.sql), whatever the path (ingest, a baseline
-- established or moved, a hand edit), and deleted by the refresh unit that recomputed everything the span
-- reaches, by id, in the unit's transaction: a span recorded while the unit ran keeps its own row.
-- span is closed: [first, last] bar of the change.
create table bqx.dirty_ranges (
  id bigserial primary key,
  pair text not null references bqx.pairs (pair),
  family text not null references bqx.families (family),
  span tstzrange not null check (not isempty(span) and not lower_inf(span) and not upper_inf(span)),
  reason text not null check (reason in ('insert', 'update', 'delete', 'incomplete', 'legacy', 'rebase')),
  created_at timestamptz not null default now()
);
create index dirty_ranges_unit on bqx.dirty_ranges (pair, family);
comment on table bqx.dirty_ranges is 'per (pair, family): spans of bqx.m1 changed since the family computed them; the runner recomputes what they reach';

-- A store migrated from before this table: every late-bar mark becomes a span from the mark to the
-- pair's last bar (the planner then recomputes everything after it), and every bar past a watermark stays
-- covered by the watermark's tail. Bars below a watermark that never got rows are found by the
-- completeness check (bqx.feature_completeness) on the next `bqx refresh`.
insert into bqx.dirty_ranges (pair, family, span, reason)
select w.pair, w.family, tstzrange(w.dirty_from, greatest(w.dirty_from, l.last_bar), '[]'), 'legacy'
from bqx.watermarks w
cross join lateral (select max(ts_utc) as last_bar from bqx.m1 m where m.pair = w.pair) l
where w.dirty_from is not null and l.last_bar is not null;

-- Down Migration
drop trigger if exists m1_dirty_insert on bqx.m1;
drop trigger if exists m1_dirty_update on bqx.m1;
drop trigger if exists m1_dirty_delete on bqx.m1;
drop table bqx.dirty_ranges;
