-- Up Migration
-- Wave 3, issue 17: the runner keeps the cross-sectional tables (CROSS_SECTIONAL: currency_strength,
-- cross_returns) current. Their unit is (family, all 28 pairs, range), not (pair, family, range), so they
-- get their own watermark and dirty-span tables keyed by family alone ("one key for the set of pairs"):
-- bqx.watermarks and bqx.dirty_ranges reference bqx.pairs and bqx.families, and a pseudo-pair there would
-- show up wherever pairs are listed. The bqx.m1 statement triggers write both (sql/functions/bqx.m1_dirty_*).
create table bqx.cross_watermarks (
  family text primary key check (family ~ '^[a-z][a-z0-9_]*$'),
  refreshed_through timestamptz,
  failures integer not null default 0 check (failures >= 0),
  retry_at timestamptz,
  last_error text,
  updated_at timestamptz not null default now()
);
-- one row per cross-sectional family (a later one's migration adds its row): the m1 triggers record dirty
-- spans for the families listed here
insert into bqx.cross_watermarks (family) values ('currency_strength'), ('cross_returns');
comment on table bqx.cross_watermarks is 'per cross-sectional family: the last grid minute computed (from all 28 pairs), and retry state';

-- span is closed: [first, last] bar of the change; pair says whose bars changed (for status and logs only:
-- the unit recomputes the cross-section, which every pair's bars feed).
create table bqx.cross_dirty_ranges (
  id bigserial primary key,
  family text not null references bqx.cross_watermarks (family),
  pair text not null references bqx.pairs (pair),
  span tstzrange not null check (not isempty(span) and not lower_inf(span) and not upper_inf(span)),
  reason text not null check (reason in ('insert', 'update', 'delete', 'incomplete', 'legacy', 'rebase')),
  created_at timestamptz not null default now()
);
create index cross_dirty_ranges_family on bqx.cross_dirty_ranges (family);
comment on table bqx.cross_dirty_ranges is 'per cross-sectional family: spans of bqx.m1 (any pair) changed since the cross-section was computed from them';

grant select, insert, update, delete on table bqx.cross_watermarks, bqx.cross_dirty_ranges to bqx_writer, bqx_owner;
grant usage, select on sequence bqx.cross_dirty_ranges_id_seq to bqx_writer, bqx_owner;
grant select on table bqx.cross_watermarks, bqx.cross_dirty_ranges to bqx_reader;

-- Down Migration
drop table bqx.cross_dirty_ranges;
drop table bqx.cross_watermarks;
