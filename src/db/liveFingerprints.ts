/**
 * The fingerprints of the definitions live in the database (src/features/definitions): the bodies of
 * the refresh functions as pg_proc has them, and the TypeScript families' version. A refresh records
 * these, and rows are current when they carry them; they equal the repository's (bqx.families.fingerprint)
 * once `bqx migrate` has applied sql/. Every refresh unit asks, so the answer is cached by the functions'
 * pg_proc row versions: a unit reads those, not the bodies (tens of kB each), unless one was replaced.
 * The cross-sectional tables (CROSS_SECTIONAL) have fingerprints too (liveCrossFingerprints), computed in
 * the same pass: their bodies are inputs of their readers' fingerprints, and their own rows are recorded
 * under them (bqx.cross_definitions).
 */
import type pg from 'pg';
import { CROSS_SECTIONAL, FAMILIES, family as familyDef } from '../features/catalog/index.ts';
import { type FingerprintAlgorithm, familyFingerprints } from '../features/definitions/familyFingerprints.ts';
import { TECHNICAL_VERSION } from '../features/technical/technicalVersion.ts';
import { loadSql } from './loadSql.ts';

const cache = new Map<string, Map<string, string>>();

const PER_PAIR = new Set(FAMILIES.map((f) => f.family));
const CROSS = new Set(CROSS_SECTIONAL.map((f) => f.family));
const only = (fps: Map<string, string>, names: Set<string>) => new Map([...fps].filter(([f]) => names.has(f)));

/** The per-pair families' live fingerprints (FAMILIES). */
export async function liveFingerprints(
  c: pg.ClientBase,
  tsVersion = TECHNICAL_VERSION,
  algorithm: FingerprintAlgorithm = 'normalised',
): Promise<Map<string, string>> {
  return only(await liveDefinitions(c, tsVersion, algorithm), PER_PAIR);
}

/** The cross-sectional tables' live fingerprints (CROSS_SECTIONAL). */
export async function liveCrossFingerprints(c: pg.ClientBase): Promise<Map<string, string>> {
  return only(await liveDefinitions(c, TECHNICAL_VERSION, 'normalised'), CROSS);
}

/** Both: the per-pair families' and the cross-sectional tables' (one look at pg_proc, for a refresh unit). */
export async function liveDefinitions(
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
      [...FAMILIES, ...CROSS_SECTIONAL],
      algorithm,
    );
    cache.set(key, fps);
  }
  return fps;
}
