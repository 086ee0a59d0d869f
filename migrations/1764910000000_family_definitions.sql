-- Up Migration
-- Versioned feature definitions (issue 15): a family's definition changes when its refresh function (or
-- its TypeScript calculator's version), its columns or a family it reads change, and `bqx migrate`
-- re-applies the function while the stored rows stay as the old one computed them. bqx.families keeps the
-- fingerprint of the definition the repository has (synced by migrate); bqx.family_definitions records,
-- per (pair, family), which fingerprint computed which spans, written in the refresh's own transaction.
-- Rows whose span carries another fingerprint than the live one are stale: bqx status lists them,
-- bqx refresh recomputes them, bqx dataset build refuses them.
alter table bqx.families add column fingerprint text;

create table bqx.family_definitions (
  pair text not null references bqx.pairs (pair),
  family text not null references bqx.families (family),
  fingerprint text not null,
  spans tstzmultirange not null,
  updated_at timestamptz not null default now(),
  primary key (pair, family, fingerprint)
);
comment on table bqx.family_definitions is 'per (pair, family, definition fingerprint): the spans of rows that definition computed';

-- Catch-up of stale rows comes in bounded units, new bars before old history (bqx refresh, runner ticks).
insert into bqx.settings (key, value, description) values
  ('definition_unit_days', '7', 'a stale span (rows computed under an older family definition) is recomputed in units of at most this many days, newest first'),
  ('definition_tick_seconds', '5', 'a runner tick spends at most about this long recomputing stale spans, after its new bars')
on conflict (key) do nothing;

-- Down Migration
delete from bqx.settings where key in ('definition_unit_days', 'definition_tick_seconds');
drop table bqx.family_definitions;
alter table bqx.families drop column fingerprint;
