/**
 * The feature catalog: every table family and every column the store has. DDL (migrations), the
 * bqx.feature_catalog table, SQL refresh functions and the docs are all checked against this module.
 */
import { BqxError } from '../../db/errors.ts';
import { bollingerBqx, bollingerRate } from './bollinger.ts';
import { bqx } from './bqx.ts';
import { correlationFeatures } from './correlation.ts';
import { crossReturns } from './crossReturns.ts';
import { currencyStrength } from './currencyStrength.ts';
import { fibonacciFeatures } from './fibonacci.ts';
import { labels } from './labels.ts';
import { m1 } from './m1.ts';
import { regBqx, regRate } from './reg.ts';
import { spreadFeatures } from './spread.ts';
import { statisticsBqx, statisticsRate } from './statistics.ts';
import { technicalBqx, technicalRate } from './technical.ts';
import { timeFeatures } from './time.ts';
import type { FamilyDef } from './types.ts';
import { volumeFeatures } from './volume.ts';

export { type NullClass, nullClass } from './nullClass.ts';
export type { ColumnDef, Domain, FamilyDef, FamilyKind } from './types.ts';

/** Every family, in dependency order (the order the runner refreshes them). */
export const FAMILIES: readonly FamilyDef[] = Object.freeze([
  m1,
  bqx,
  bollingerRate,
  bollingerBqx,
  statisticsRate,
  statisticsBqx,
  volumeFeatures,
  spreadFeatures,
  timeFeatures,
  regRate,
  regBqx,
  technicalRate,
  technicalBqx,
  fibonacciFeatures,
  correlationFeatures,
  labels,
]);

/**
 * The cross-sectional tables, keyed by currency instead of pair (Wave 3): computed in one refresh from
 * all 28 pairs, read by the cross-pair families. Not among FAMILIES, whose every member has one table per pair.
 */
export const CROSS_SECTIONAL: readonly FamilyDef[] = Object.freeze([currencyStrength, crossReturns]);

export const FAMILY_NAMES: readonly string[] = Object.freeze(FAMILIES.map((f) => f.family));
// the cross-sectional tables resolve too: a per-pair family names them in dependsOn (warm-ups, spans, fingerprints)
const BY_NAME = new Map([...FAMILIES, ...CROSS_SECTIONAL].map((f) => [f.family, f]));

export function family(name: string): FamilyDef {
  const f = BY_NAME.get(name);
  if (!f) {
    throw new BqxError('BQX_UNKNOWN_FAMILY', `unknown family ${JSON.stringify(name)}`, {
      hint: `use one of: ${FAMILY_NAMES.join(', ')}`,
    });
  }
  return f;
}

/** Parses `--family F[,G]|all`. */
export function parseFamilyList(spec: string | undefined): FamilyDef[] {
  if (spec === undefined || spec.trim() === '' || spec.trim() === 'all') return [...FAMILIES];
  const names = spec.split(',').map((s) => family(s.trim()).family);
  return FAMILIES.filter((f) => names.includes(f.family));
}

/** The plan's nominal feature count: 433 through Phase 2, 543 with Wave 3. */
export function nominalFeatureCount(): number {
  return FAMILIES.filter((f) => f.countsAsFeature).reduce((n, f) => n + f.columns.length, 0);
}
