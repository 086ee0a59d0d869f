/**
 * The fingerprints of the definitions live in the database (src/features/definitions): the bodies of
 * the refresh functions as pg_proc has them, and the TypeScript families' version. A refresh records
 * these, and rows are current when they carry them; they equal the repository's (bqx.families.fingerprint)
 * once `bqx migrate` has applied sql/. Every refresh unit asks, so the answer is cached by the functions'
 * pg_proc row versions: a unit reads those, not the bodies (tens of kB each), unless one was replaced.
 */
import type pg from 'pg';
import { family as familyDef } from '../features/catalog/index.ts';
import { type FingerprintAlgorithm, familyFingerprints } from '../features/definitions/familyFingerprints.ts';
import { TECHNICAL_VERSION } from '../features/technical/technicalVersion.ts';
import { loadSql } from './loadSql.ts';

const cache = new Map<string, Map<string, string>>();

export async function liveFingerprints(
  c: pg.ClientBase,
  tsVersion = TECHNICAL_VERSION,
  algorithm: FingerprintAlgorithm = 'normalised',
): Promise<Map<string, string>> {
  const query = loadSql(import.meta.url, 'sql/refresh_bodies.sql');
  const key = JSON.stringify([
    tsVersion,
    algorithm,
    (await c.query<{ family: string; version: string; prosrc: string | null }>(query, [false])).rows.map((r) => [r.family, r.version]),
  ]);
  let fps = cache.get(key);
  if (!fps) {
    const bodies = new Map<string, string>();
    for (const r of (await c.query<{ family: string; version: string; prosrc: string }>(query, [true])).rows)
      bodies.set(r.family, r.prosrc);
    fps = familyFingerprints(
      (name) => {
        if (familyDef(name).kind === 'ts') return { ts: tsVersion };
        const body = bodies.get(name);
        return body === undefined ? null : { sql: body };
      },
      undefined,
      algorithm,
    );
    cache.set(key, fps);
  }
  return fps;
}
