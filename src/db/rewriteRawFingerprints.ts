/**
 * The upgrade from the first fingerprint algorithm (a hash of the raw function body) to the current one
 * (of its layout-free form, normaliseSql.ts). It runs in `bqx migrate` before sql/ is re-applied, while
 * the live functions are still the ones the recorded rows were computed with: a record whose fingerprint
 * is the raw hash of a live definition is moved to that definition's normalised hash. Then sql/ replaces
 * the functions; one whose new file differs only in layout (comments, line breaks, indentation) has the
 * same normalised hash, so its rows stay current, and one that changes a token is stale, as before.
 * Records of older definitions (already stale) match no live body and keep their fingerprint: still stale.
 * On a store recorded under the current algorithm it matches nothing (a no-op).
 */
import type pg from 'pg';
import { TECHNICAL_VERSION } from '../features/technical/technicalVersion.ts';
import { liveFingerprints } from './liveFingerprints.ts';
import { loadSql } from './loadSql.ts';

/** The TypeScript families' versions a record may hold: before versions existed ('1') and the current one. */
const TS_VERSIONS = [...new Set(['1', TECHNICAL_VERSION])];

/** Moves the records; returns the (pair, family) records moved. */
export async function rewriteRawFingerprints(client: pg.ClientBase): Promise<number> {
  const query = loadSql(import.meta.url, 'sql/rewrite_fingerprint.sql');
  let n = 0;
  for (const v of TS_VERSIONS) {
    const raw = await liveFingerprints(client, v, 'raw');
    const normalised = await liveFingerprints(client, v, 'normalised');
    for (const [family, old] of raw) {
      const now = normalised.get(family);
      if (now === undefined || now === old) continue;
      n += (await client.query(query, [family, old, now])).rowCount ?? 0;
    }
  }
  return n;
}
