/**
 * Generates the DDL of the table families from the catalog, so migrations cannot drift from it.
 * Used by the first schema migration (frozen) and by scripts/gen-catalog-migration.ts for a new family;
 * test/db/schema.test.ts checks the live columns against the catalog on every run.
 */
import type { FamilyDef } from '../features/catalog/index.ts';
import { PAIRS } from '../features/pairs.ts';
import { quoteIdent, quoteLiteral } from './quote.ts';

/** m1 carries row-level guards too, so nothing that bypasses `bqx ingest` can store a broken bar. */
function m1Checks(): string[] {
  // 'NaN' sorts above every float in Postgres, so `< 'Infinity'` rejects NaN as well as infinity.
  const finitePos = (c: string) => `${c} > 0 and ${c} < 'Infinity'::float8`;
  const ohlc = (p: string) =>
    `(${p}open is null or (${finitePos(`${p}open`)} and ${finitePos(`${p}high`)} and ${finitePos(`${p}low`)} and ${finitePos(`${p}close`)}` +
    ` and ${p}high >= greatest(${p}open, ${p}close) and ${p}low <= least(${p}open, ${p}close)))`;
  return [
    `constraint m1_mid_ohlc check (${ohlc('')})`,
    `constraint m1_bid_ohlc check (${ohlc('bid_')})`,
    `constraint m1_ask_ohlc check (${ohlc('ask_')})`,
    `constraint m1_bid_le_ask check (bid_close is null or ask_close is null or bid_close <= ask_close)`,
    `constraint m1_volume check (volume is null or (volume >= 0 and volume < 'Infinity'::float8))`,
    `constraint m1_on_minute check (date_trunc('minute', ts_utc at time zone 'UTC') = (ts_utc at time zone 'UTC'))`,
  ];
}

export function familyTableDdl(f: FamilyDef): string {
  const cols = f.columns.map((c) => {
    const notNull = f.family === 'm1' && ['open', 'high', 'low', 'close'].includes(c.name) ? ' not null' : '';
    return `  ${quoteIdent(c.name)} double precision${notNull}`;
  });
  const body = [
    '  pair text not null',
    '  ts_utc timestamptz not null',
    ...cols,
    ...(f.family === 'm1' ? m1Checks().map((c) => `  ${c}`) : []),
    `  constraint ${quoteIdent(`${f.family}_pkey`)} primary key (pair, ts_utc)`,
  ];
  const parent = `bqx.${quoteIdent(f.family)}`;
  const lines = [`create table ${parent} (\n${body.join(',\n')}\n) partition by list (pair);`];
  lines.push(`comment on table ${parent} is ${quoteLiteral(f.description)};`);
  for (const p of PAIRS) {
    lines.push(
      `create table bqx.${quoteIdent(`${f.family}_${p.pair}`)} partition of ${parent} for values in (${quoteLiteral(p.pair)}) partition by range (ts_utc);`,
    );
  }
  return lines.join('\n');
}
