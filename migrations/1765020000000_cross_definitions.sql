-- Up Migration
-- Issue 17: which definition computed the cross-sectional tables' rows (CROSS_SECTIONAL: currency_strength,
-- cross_returns), as bqx.family_definitions records it for a pair's families. Keyed by family alone, as
-- bqx.cross_watermarks is (bqx.family_definitions references bqx.pairs and bqx.families, where a pseudo-pair
-- would show up wherever pairs are listed). A cross unit records its range under the live fingerprint of its
-- refresh function; a changed function leaves the older spans stale, and the catch-up recomputes them.
create table bqx.cross_definitions (
  family text not null references bqx.cross_watermarks (family),
  fingerprint text not null,
  spans tstzmultirange not null,
  updated_at timestamptz not null default now(),
  primary key (family, fingerprint)
);
comment on table bqx.cross_definitions is 'per cross-sectional family: the spans of its rows each definition (fingerprint) computed';

grant select, insert, update, delete on table bqx.cross_definitions to bqx_writer, bqx_owner;
grant select on table bqx.cross_definitions to bqx_reader;

-- Down Migration
drop table bqx.cross_definitions;
