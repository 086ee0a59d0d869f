/**
 * Writes the initial schema migration from the catalog: node bin/run-ts.mjs scripts/gen-schema-migration.ts
 * Migrations are immutable once merged; a later catalog change gets a new, hand-reviewed migration and
 * test/db/schema.test.ts fails until the live columns match the catalog again.
 */
import fs from 'node:fs';
import { allFamiliesDdl } from '../src/db/schemaDdl.ts';
import { FAMILIES } from '../src/features/catalog/index.ts';
import { PAIRS } from '../src/features/pairs.ts';
import { quoteLiteral } from '../src/db/quote.ts';

const target = process.argv[2] ?? 'migrations/1764108000000_schema.sql';
const pairRows = PAIRS.map((p) => `  (${quoteLiteral(p.pair)}, ${quoteLiteral(p.base)}, ${quoteLiteral(p.quote)}, ${p.pipSize}, ${p.priceDecimals})`).join(',\n');
const familyRows = FAMILIES.map(
  (f, i) => `  (${quoteLiteral(f.family)}, ${quoteLiteral(f.kind)}, ${i + 1}, array[${f.dependsOn.map(quoteLiteral).join(', ')}]::text[], ${f.lookbackBars}, ${f.countsAsFeature}, ${quoteLiteral(f.description)})`,
).join(',\n');

const sql = `-- Up Migration
-- Generated from src/features/catalog by scripts/gen-schema-migration.ts, then frozen (migrations are immutable).

create schema if not exists bqx;
comment on schema bqx is 'bqx-store: 1-minute FX bars and the BQX feature families for 28 pairs';

create table bqx.pairs (
  pair text primary key check (pair ~ '^[a-z]{6}$'),
  base text not null,
  quote text not null,
  pip_size double precision not null check (pip_size > 0),
  price_decimals integer not null check (price_decimals between 0 and 10)
);
insert into bqx.pairs (pair, base, quote, pip_size, price_decimals) values
${pairRows};

-- Key-value settings a DBA may change with plain SQL; functions read them at call time.
create table bqx.settings (
  key text primary key,
  value text not null,
  description text not null
);
insert into bqx.settings (key, value, description) values
  ('max_future', '7 days', 'bars and partitions further than this beyond now() are refused'),
  ('premake_months', '2', 'empty monthly partitions made ahead of the last month that holds data'),
  ('retention_months', '0', 'months of partitions kept by retention (0 = keep everything)'),
  ('default_base_instant', '2024-07-01 00:00:00+00', 'base instant of the rate index for pairs without their own');

-- Spec section 2: B = close of the pair's first bar at or after base_instant. Established by the first
-- ingest that holds such a bar, then constant (it is configuration, not data).
create table bqx.baselines (
  pair text primary key references bqx.pairs (pair),
  base_instant timestamptz not null default '2024-07-01 00:00:00+00',
  base_close double precision check (base_close > 0 and base_close < 'Infinity'::float8),
  base_ts timestamptz,
  established_at timestamptz,
  check ((base_close is null) = (base_ts is null))
);
insert into bqx.baselines (pair) select pair from bqx.pairs;

create table bqx.families (
  family text primary key check (family ~ '^[a-z][a-z0-9_]*$'),
  kind text not null check (kind in ('base', 'sql', 'ts', 'labels')),
  ord integer not null unique,
  depends_on text[] not null,
  lookback_bars integer not null check (lookback_bars >= 0),
  counts_as_feature boolean not null,
  description text not null
);
insert into bqx.families (family, kind, ord, depends_on, lookback_bars, counts_as_feature, description) values
${familyRows};

-- One row per column of every family; kept in step with src/features/catalog by \`bqx migrate\`.
create table bqx.feature_catalog (
  family text not null references bqx.families (family),
  column_name text not null,
  ord integer not null,
  domain text not null,
  window_bars integer,
  formula text not null,
  null_rule text not null,
  laggable boolean not null,
  convention text,
  counts_as_feature boolean not null,
  primary key (family, column_name)
);

-- Checksums of the sql/ files applied after the migrations, and a hash of the live definition at that
-- time, so \`bqx doctor\` can tell a changed file from an object someone edited in the database.
create table bqx.sql_objects (
  path text primary key,
  object_name text not null,
  kind text not null check (kind in ('function', 'view')),
  checksum text not null,
  live_md5 text not null,
  applied_at timestamptz not null default now()
);

${allFamiliesDdl()}

-- Down Migration
drop schema bqx cascade;
`;
fs.writeFileSync(target, sql);
console.log(`wrote ${target} (${sql.length} bytes)`);
