/**
 * Generated SQL for the families computed bar by bar from bqx.m1 alone (catalog `perBar`): each column
 * is one SQL expression over the bar's m1 row, written in the catalog entry itself. Such a family needs
 * no generator of its own: scripts/gen-sql.ts writes its refresh function from the catalog, so adding one
 * is its catalog entry alone (then the generated migration and sql/).
 */
import type { FamilyDef } from '../catalog/types.ts';
import { ITEM } from './layout.ts';
import { refreshFunctionSql } from './refreshFunction.ts';

/** The m1 columns a per-bar expression may read. */
const M1_COLUMNS = [
  'open',
  'high',
  'low',
  'close',
  'volume',
  'rate_index',
  'high_index',
  'low_index',
  'open_index',
  'bid_open',
  'bid_high',
  'bid_low',
  'bid_close',
  'ask_open',
  'ask_high',
  'ask_low',
  'ask_close',
];

export function isPerBar(f: FamilyDef): f is FamilyDef & { perBar: Record<string, string> } {
  return f.kind === 'sql' && f.perBar !== undefined;
}

export function perBarRefreshSql(f: FamilyDef): string {
  if (!isPerBar(f)) throw new Error(`${f.family} is not a per-bar family`);
  const missing = f.columns.filter((c) => !(c.name in f.perBar)).map((c) => c.name);
  if (missing.length) throw new Error(`${f.family}: no perBar expression for ${missing.join(', ')}`);
  if (f.lookbackBars !== 0 || f.dependsOn.join() !== 'm1')
    throw new Error(`${f.family}: a per-bar family reads only its own m1 bar (lookback 0, dependsOn m1)`);
  return refreshFunctionSql({
    family: f.family,
    lookback: 0,
    source: `(select ts_utc, ${M1_COLUMNS.join(ITEM)}
      from bqx.m1 where pair = p_pair and ts_utc >= v_start and ts_utc <= v_hi)`,
    body: (src) => `select ts_utc, ${f.columns.map((c) => `(${f.perBar[c.name]}) as "${c.name}"`).join(ITEM)}
  from ${src} s0`,
    columns: f.columns.map((c) => c.name),
    description: f.description,
  });
}
