/**
 * Column-by-column comparison under spec section 9: |actual - expected| <= r * max(|expected|, S), S =
 * the column's typical magnitude (median |expected|). NULLs must match exactly. Returns the failures
 * (at most a few per column) so a test shows what differed.
 */
import type { Row } from './bqxReference.ts';

export interface Mismatch {
  column: string;
  index: number;
  actual: number | null;
  expected: number | null;
  allowed?: number;
}

export function medianAbs(rows: Row[], col: string): number {
  const v = rows
    .map((r) => r[col])
    .filter((x): x is number => x !== null && x !== 0)
    .map(Math.abs)
    .sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : 0;
}

export interface CompareOptions {
  /** Relative tolerance r. */
  rel: number;
  /** Per-column allowed absolute error beyond the default rule (e.g. ratios with small denominators). */
  allowance?: (col: string, i: number, expected: number) => number | undefined;
  /** Per-column scale override (a column whose true value is 0 judged against another's scale). */
  scale?: Record<string, number>;
  /** NULL-pattern differences that are allowed (e.g. at a threshold). */
  nullOk?: (col: string, i: number) => boolean;
}

export function compareRows(actual: Row[], expected: Row[], columns: string[], o: CompareOptions): Mismatch[] {
  const out: Mismatch[] = [];
  for (const col of columns) {
    const S = o.scale?.[col] ?? medianAbs(expected, col);
    let n = 0;
    for (let i = 0; i < expected.length && n < 3; i++) {
      const a = actual[i][col];
      const e = expected[i][col];
      if (a === null || e === null) {
        if (a !== e && !o.nullOk?.(col, i)) {
          out.push({ column: col, index: i, actual: a, expected: e });
          n++;
        }
        continue;
      }
      if (!Number.isFinite(a)) {
        out.push({ column: col, index: i, actual: a, expected: e });
        n++;
        continue;
      }
      const allowed = Math.max(o.rel * Math.max(Math.abs(e), S), o.allowance?.(col, i, e) ?? 0);
      if (Math.abs(a - e) > allowed) {
        out.push({ column: col, index: i, actual: a, expected: e, allowed });
        n++;
      }
    }
  }
  return out;
}

export interface ColumnError {
  column: string;
  /** max over rows of |actual - expected| / max(|expected|, S), or / (allowed / r) where an allowance applies */
  worst: number;
  index: number;
  nullMismatches: number;
}

/**
 * The worst scaled error of each column (spec section 9's measure), for reports rather than pass/fail:
 * where `o.allowance` widens a row's limit, the error is expressed against that limit in the same unit
 * (so a value below r means within the limit).
 */
export function worstScaledErrors(actual: Row[], expected: Row[], columns: string[], o: CompareOptions): ColumnError[] {
  return columns.map((col) => {
    const S = o.scale?.[col] ?? medianAbs(expected, col);
    const out: ColumnError = { column: col, worst: 0, index: -1, nullMismatches: 0 };
    for (let i = 0; i < expected.length; i++) {
      const a = actual[i][col];
      const e = expected[i][col];
      if (a === null || e === null) {
        if (a !== e && !o.nullOk?.(col, i)) out.nullMismatches++;
        continue;
      }
      const base = Math.max(Math.abs(e), S);
      const widened = o.allowance?.(col, i, e);
      const limit = widened !== undefined && widened > o.rel * base ? widened / o.rel : base;
      const err = Number.isFinite(a) ? Math.abs(a - e) / limit : Infinity;
      if (err > out.worst) {
        out.worst = err;
        out.index = i;
      }
    }
    return out;
  });
}
