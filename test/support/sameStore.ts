/**
 * A store against a clean build of the same bars, table by table: the one comparison the late-history,
 * definition and upgrade tests end on. SQL families bit for bit (md5 of the rows' text: float8 output is
 * round-trip exact), the TypeScript families within 1e-9 relative (their warm-up makes a partial refresh
 * agree to rounding, not bit for bit).
 */
import type pg from 'pg';
import { expect } from 'vitest';
import { quoteIdent } from '../../src/db/quote.ts';
import { family } from '../../src/features/catalog/index.ts';
import { TECHNICAL_FAMILIES } from '../../src/runner/refreshTechnical.ts';
import type { Row } from './reference/bqxReference.ts';
import { compareRows } from './reference/compare.ts';

export async function tableDigest(pool: pg.Pool, fam: string): Promise<{ h: string | null; n: number }> {
  return (
    await pool.query(`select md5(string_agg(x::text, '|' order by pair, ts_utc)) as h, count(*)::int as n from bqx.${quoteIdent(fam)} x`)
  ).rows[0];
}

export async function tableRows(pool: pg.Pool, fam: string): Promise<Row[]> {
  return (await pool.query(`select * from bqx.${quoteIdent(fam)} order by pair, ts_utc`)).rows;
}

/** Every table of `families` (and m1) in `actual` equals the one in `clean`. */
export async function expectSameStore(actual: pg.Pool, clean: pg.Pool, families: readonly string[]): Promise<void> {
  for (const f of ['m1', ...families]) {
    if (f in TECHNICAL_FAMILIES) {
      const [a, e] = [await tableRows(actual, f), await tableRows(clean, f)];
      expect(a.length, f).toBe(e.length);
      expect(
        compareRows(
          a,
          e,
          family(f).columns.map((c) => c.name),
          { rel: 1e-9 },
        ),
        f,
      ).toEqual([]);
    } else {
      expect(await tableDigest(actual, f), f).toEqual(await tableDigest(clean, f));
    }
  }
}
