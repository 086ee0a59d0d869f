/**
 * The upgrade of a store filled before definitions were recorded (bqx.family_definitions): its rows were
 * computed by the refresh functions still live when `bqx migrate` starts, before sql/ re-applies them. So
 * this runs after the migrations and before sql/: every (pair, family) with rows and no record gets one
 * span [first row, last row + 1 minute) under the fingerprint of the live (old) bodies, the TypeScript
 * families under version "1" (their code is unchanged since before the records). A family whose function
 * sql/ then leaves as it was stays current; one it changes, and every family reading it, is stale.
 * The cross-sectional tables likewise (bqx.cross_definitions, one span per table).
 * On a store that records already, it only looks (every (pair, family) with rows has its record).
 */
import type pg from 'pg';
import { CROSS_SECTIONAL, FAMILIES } from '../features/catalog/index.ts';
import { liveCrossFingerprints, liveFingerprints } from './liveFingerprints.ts';
import { loadSql } from './loadSql.ts';
import { quoteIdent } from './quote.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
/** The TypeScript families' version before versions existed. */
const LEGACY_TS_VERSION = '1';

export async function recordLegacyDefinitions(client: pg.ClientBase): Promise<number> {
  const fps = await liveFingerprints(client, LEGACY_TS_VERSION);
  const recorded = new Set((await client.query<{ key: string }>(sql('recorded_definitions'))).rows.map((r) => r.key));
  const pairs = (await client.query<{ pair: string }>(sql('pairs'))).rows.map((r) => r.pair);
  let n = 0;
  for (const f of FAMILIES) {
    const fp = fps.get(f.family);
    if (!fp) continue;
    const bounds = sql('family_bounds').replaceAll('{{table}}', quoteIdent(f.family));
    for (const pair of pairs) {
      if (recorded.has(`${pair}/${f.family}`)) continue;
      const b = (await client.query<{ first: Date | null; last: Date | null }>(bounds, [pair])).rows[0];
      if (!b.first) continue;
      n += (await client.query(sql('record_legacy_definition'), [pair, f.family, fp, b.first, b.last])).rowCount ?? 0;
    }
  }
  const cross = await liveCrossFingerprints(client);
  for (const f of CROSS_SECTIONAL) {
    const fp = cross.get(f.family);
    if (!fp) continue;
    const b = (
      await client.query<{ first: Date | null; last: Date | null }>(sql('cross_table_bounds').replaceAll('{{table}}', quoteIdent(f.family)))
    ).rows[0];
    if (!b.first) continue;
    n += (await client.query(sql('record_legacy_cross_definition'), [f.family, fp, b.first, b.last])).rowCount ?? 0;
  }
  return n;
}
