/**
 * Leakage check "feature reach" on the store's side (spec section 8, run on every build): for a seeded
 * row of each pair's written dataset, every feature family of the set (and what it depends on) is
 * recomputed in Postgres on the pair's history truncated at that row, inside a transaction that is
 * always rolled back, and the row's values (and its lags' source bars) must equal the recomputed ones:
 * exactly for the SQL families, within 1e-9 relative (to the value, or 1 when smaller) for the TypeScript ones (their 2000-bar warm-up
 * makes a partial refresh agree to rounding, not bit for bit).
 *
 * A build with --allow-stale holds rows an older definition computed; recomputing them with the live one
 * would differ without any leak. Those families' columns are left out of the comparison (the others are
 * still compared), and the report names them, so the manifest says what this check did not cover.
 */
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { withRollback } from '../db/tx.ts';
import { FAMILIES, family as familyDef } from '../features/catalog/index.ts';
import { refreshFamilyIn } from '../runner/refreshFamily.ts';
import { TECHNICAL_FAMILIES } from '../runner/refreshTechnical.ts';
import { type DuckSession, duckLiteral } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';
import { recomputeCrossSection } from './recomputeCrossSection.ts';

export interface RecomputeReport {
  ts: string;
  families: string[];
  columns: number;
  /** Families not compared: stale in the build's range (--allow-stale). */
  skippedStale: string[];
}

const sql = (name: string) => loadSql(import.meta.url, `./sql/${name}.sql`);

/** The families a set reads, with everything they depend on (m1 aside), in refresh order. */
export function familiesToRecompute(featureSet: FeatureSet): string[] {
  const need = new Set<string>();
  const add = (f: string) => {
    if (f === 'm1' || need.has(f)) return;
    need.add(f);
    familyDef(f).dependsOn.forEach(add);
  };
  featureSet.families.forEach(add);
  return FAMILIES.map((f) => f.family).filter((f) => need.has(f));
}

function same(expected: unknown, actual: unknown, family: string): boolean {
  if (expected === null || actual === null) return expected === actual;
  const e = Number(expected);
  const a = Number(actual);
  // relative to the inputs' scale (rates and BQX values are of order 1) as well as the value's: a
  // difference of two averages (awesome oscillator, 4e-4) carries the rounding of its inputs, and
  // relative to itself alone it failed a two-month build at 1.4e-9 (5.8e-13 absolute)
  if (family in TECHNICAL_FAMILIES) return Math.abs(a - e) <= 1e-9 * Math.max(Math.abs(e), Math.abs(a), 1);
  return Object.is(a, e);
}

export async function recomputeSample(
  pool: pg.Pool,
  duck: DuckSession,
  pair: string,
  file: string,
  featureSet: FeatureSet,
  seed: number,
  staleFamilies: ReadonlySet<string> = new Set(),
): Promise<RecomputeReport | null> {
  const [row] = await duck.rows<Record<string, unknown>>(
    `select epoch_ms(ts_utc) as ms, * exclude (ts_utc) from read_parquet(${duckLiteral(file)}) using sample reservoir(1 rows) repeatable (${seed})`,
  );
  if (!row) return null;
  const t = new Date(Number(row.ms));
  const families = familiesToRecompute(featureSet);
  const lags = [...new Set(featureSet.columns.map((c) => c.lag))];
  const recomputed = await withRollback(pool, async (c) => {
    const at = new Map<number, Date | null>(
      (await c.query<{ n: number; ts_utc: Date | null }>(sql('pg_bars_before'), [pair, t, lags])).rows.map((r) => [r.n, r.ts_utc]),
    );
    // far enough back that every lag's source bar and its warm-up are recomputed too (the runner's
    // query: the pair's first bar when fewer precede)
    const from = (
      await c.query<{ ts: Date }>(loadSql(import.meta.url, '../runner/sql/bar_before.sql'), [
        pair,
        t,
        Math.max(...lags) + featureSet.warmup,
      ])
    ).rows[0].ts;
    await c.query(sql('pg_truncate_history'), [pair, t]).catch((err: { code?: string }) => {
      if (err.code !== '42501') throw err;
      throw new BqxError(
        'BQX_CONFIG',
        `the leakage check recomputes features on truncated history (in a transaction it rolls back), which this role may not do: ${(err as Error).message}`,
        {
          hint: 'build datasets as a role that can refresh (bqx_writer or the owner); bqx_reader can read the views but not run this check',
          cause: err,
        },
      );
    });
    await recomputeCrossSection(c, pair, families, t, from); // every pair truncated when the families read the cross-section
    for (const f of families) await refreshFamilyIn(c, f, pair, { from: from.getTime(), to: t.getTime() + 60_000 });
    const instants = lags.map((n) => at.get(n)).filter((x): x is Date => x instanceof Date);
    const rows = (
      await c.query<Record<string, unknown>>(`select * from bqx.${quoteIdent(`features_${pair}`)} where ts_utc = any($1)`, [instants])
    ).rows;
    return new Map(lags.map((n) => [n, rows.find((r) => at.get(n) && (r.ts_utc as Date).getTime() === at.get(n)!.getTime()) ?? null]));
  });
  const bad: string[] = [];
  const skipped = new Set<string>();
  for (const col of featureSet.columns) {
    if (staleFamilies.has(col.family)) {
      skipped.add(col.family);
      continue;
    }
    const src = recomputed.get(col.lag);
    const expected = src ? (src[col.source] ?? null) : null;
    if (!same(expected, row[col.name] ?? null, col.family))
      bad.push(`${col.name}: dataset ${String(row[col.name])}, recomputed ${String(expected)}`);
  }
  if (bad.length) {
    throw new BqxError(
      'BQX_LEAKAGE',
      `${pair}: leakage check "feature reach" failed: at ${t.toISOString()}, ${bad.length} column(s) differ from a recomputation on history truncated there:\n  ${bad.slice(0, 8).join('\n  ')}`,
      {
        hint: 'a feature read bars after its row (or the tables are stale: run bqx refresh for the range and build again)',
        details: { check: 'feature reach (recomputed)', pair, ts: t.toISOString(), columns: bad },
      },
    );
  }
  return {
    ts: t.toISOString(),
    families,
    columns: featureSet.columns.length - featureSet.columns.filter((c) => skipped.has(c.family)).length,
    skippedStale: [...skipped].sort(),
  };
}
