/**
 * `bqx drift`: PSI and KS per (pair, feature) between two month ranges, from the histograms in
 * bqx.feature_stats (no feature row is read), ranked by PSI. Ranges are whole UTC months, since the
 * statistics are kept per month.
 */
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { psiKs, type Verdict, verdict } from './psi.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface MonthRange {
  from: number;
  to: number;
}

export interface DriftRow {
  pair: string;
  family: string;
  column: string;
  psi: number;
  ks: number;
  verdict: Verdict;
}

/** Checks that a range is made of whole UTC months (the statistics' grain). */
export function assertMonths(flag: string, r: MonthRange): MonthRange {
  for (const t of [r.from, r.to]) {
    const d = new Date(t);
    if (d.getUTCDate() !== 1 || t % 86_400_000 !== 0) {
      throw new BqxError('BQX_USAGE', `${flag} ${d.toISOString()} is not the start of a UTC month`, {
        hint: 'bqx.feature_stats is kept per month: give months (YYYY-MM) or first days (YYYY-MM-01)',
      });
    }
  }
  if (r.to <= r.from)
    throw new BqxError('BQX_BAD_RANGE', `${flag}: the range ends before it starts`, { hint: 'the range is half-open [from, to)' });
  return r;
}

export async function drift(
  pool: pg.Pool,
  o: { baseline: MonthRange; against: MonthRange; pairs: readonly string[]; family?: string },
): Promise<DriftRow[]> {
  const d = (t: number) => new Date(t).toISOString().slice(0, 10);
  const rows = (
    await pool.query<{ pair: string; family: string; column_name: string; baseline: number[]; against: number[] }>(sql('drift_hists'), [
      d(o.baseline.from),
      d(o.baseline.to),
      d(o.against.from),
      d(o.against.to),
      o.pairs,
      o.family ?? null,
    ])
  ).rows;
  const out: DriftRow[] = [];
  for (const r of rows) {
    const m = psiKs(r.baseline, r.against);
    if (m) out.push({ pair: r.pair, family: r.family, column: r.column_name, psi: m.psi, ks: m.ks, verdict: verdict(m.psi) });
  }
  return out.sort((a, b) => b.psi - a.psi || b.ks - a.ks);
}
