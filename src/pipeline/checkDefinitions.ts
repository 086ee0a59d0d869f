/**
 * A dataset must not mix definitions of a family: rows computed under an older definition than the live
 * one (staleRows) in the range refuse the build, naming pair, family and months, unless --allow-stale,
 * which the manifest then records with the stale months. The manifest records each family's fingerprint.
 */
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { liveFingerprints } from '../db/liveFingerprints.ts';
import { withClient } from '../db/tx.ts';
import { type StaleRows, staleRows } from '../runner/staleRows.ts';

export interface DefinitionsRecord {
  /** family -> the fingerprint of the definition its rows were computed with (the live one). */
  fingerprints: Record<string, string>;
  allowStale: boolean;
  /** The stale (pair, family, month)s the build went ahead with (--allow-stale), else empty. */
  stale: StaleRows[];
}

export async function checkDefinitions(
  pool: pg.Pool,
  pairs: readonly string[],
  families: readonly string[],
  range: { from: number; to: number },
  allowStale: boolean,
): Promise<DefinitionsRecord> {
  const live = await withClient(pool, (c) => liveFingerprints(c));
  const stale = await staleRows(pool, { pairs, families, from: range.from, to: range.to });
  if (stale.length && !allowStale) {
    const by = new Map<string, string[]>();
    for (const s of stale) by.set(`${s.pair}/${s.family}`, [...(by.get(`${s.pair}/${s.family}`) ?? []), s.month]);
    const shown = [...by].slice(0, 12).map(([k, months]) => `  ${k}: ${months.join(', ')}`);
    throw new BqxError(
      'BQX_DATASET_STALE',
      `the range mixes definitions: rows of ${by.size} (pair, family)(s) were computed under an older definition:\n${shown.join('\n')}${by.size > 12 ? `\n  ... and ${by.size - 12} more (--json lists all)` : ''}`,
      {
        hint: `run bqx refresh --pairs ${[...new Set(stale.map((s) => s.pair))].join(',')} to recompute them, or pass --allow-stale to build anyway (the manifest records it)`,
        details: { stale },
      },
    );
  }
  return { fingerprints: Object.fromEntries(families.filter((f) => live.has(f)).map((f) => [f, live.get(f)!])), allowStale, stale };
}
