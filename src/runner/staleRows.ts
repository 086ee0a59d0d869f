/**
 * Rows computed under an older definition of their family (bqx.family_definitions against the live
 * fingerprints), per (pair, family, month): what `bqx status` and `bqx doctor` list, `bqx refresh`
 * recomputes and `bqx dataset build` refuses. The cross-sectional tables' stale rows are listed under
 * pair '*' (ALL_PAIRS) when no pairs are given, or with `cross` (their readers' families, or their own
 * names, among `families`).
 */
import type pg from 'pg';
import { liveCrossFingerprints, liveFingerprints } from '../db/liveFingerprints.ts';
import { loadSql } from '../db/loadSql.ts';
import { withClient } from '../db/tx.ts';
import { ALL_PAIRS, crossFamiliesRead } from './planCross.ts';

export interface StaleRows {
  pair: string;
  family: string;
  /** UTC month, 'YYYY-MM'. */
  month: string;
  rows: number;
  /** The fingerprint the rows were computed with ('inputs-stale': with the live one, from stale inputs). */
  computedWith: string;
  /** The family's live fingerprint. */
  current: string;
}

export interface StaleFilter {
  pairs?: readonly string[] | null;
  families?: readonly string[] | null;
  from?: number;
  to?: number;
  /** With `pairs`: list the cross-sectional tables (pair '*') too. */
  cross?: boolean;
}

export async function staleRows(pool: pg.Pool, f: StaleFilter = {}): Promise<StaleRows[]> {
  return withClient(pool, async (c) => {
    const crossWanted = f.families ? new Set([...crossFamiliesRead(f.families), ...f.families]) : null;
    const fps = [
      ...[...(await liveFingerprints(c))].filter(([fam]) => !f.families || f.families.includes(fam)),
      ...[...(await liveCrossFingerprints(c))].filter(([fam]) => !crossWanted || crossWanted.has(fam)),
    ];
    const pairs = f.pairs ? [...f.pairs, ...(f.cross ? [ALL_PAIRS] : [])] : null;
    const current = new Map(fps);
    const rows = (
      await c.query<{ pair: string; family: string; month: string; computed_with: string; rows: number }>(
        loadSql(import.meta.url, 'sql/stale_rows.sql'),
        [
          fps.map((e) => e[0]),
          fps.map((e) => e[1]),
          pairs,
          f.from === undefined ? null : new Date(f.from),
          f.to === undefined ? null : new Date(f.to),
        ],
      )
    ).rows;
    return rows.map((r) => ({
      pair: r.pair,
      family: r.family,
      month: r.month,
      rows: Number(r.rows),
      computedWith: r.computed_with,
      current: current.get(r.family)!,
    }));
  });
}
