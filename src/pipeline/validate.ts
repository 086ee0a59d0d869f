/**
 * Stage 2: validate one pair's extract before anything is derived from it (spec section 7):
 * strictly increasing instants (no duplicates), no NaN or ±Infinity, no gap beyond the weekend close
 * longer than --max-gap minutes, and each feature's missing share past its warm-up below --max-missing
 * (a column the catalog marks sparse, NULL often by its own definition, only has to be computed at all).
 * Every failure names the check, the pair, the feature and the first offending instants.
 */
import { type DuckSession, duckIdent, templateSql } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';

export interface ValidationIssue {
  check: 'order' | 'nan_or_infinity' | 'missing_share' | 'gap' | 'labels_missing';
  pair: string;
  feature?: string;
  count: number;
  /** First offending instants (or "prev -> next" for gaps and order). */
  rows: string[];
  message: string;
}

export interface PairValidation {
  pair: string;
  issues: ValidationIssue[];
  /** Missing share past warm-up, per base column. */
  missing: Record<string, number>;
  gaps: number;
}

export interface ValidateOptions {
  from: string;
  to: string;
  maxMissing: number;
  maxGapMinutes: number;
}

export async function validatePair(
  duck: DuckSession,
  pair: string,
  raw: string,
  series: string,
  featureSet: FeatureSet,
  o: ValidateOptions,
): Promise<PairValidation> {
  const issues: ValidationIssue[] = [];
  const order = await duck.rows<{ prev_ts: string; ts_utc: string }>(templateSql('check_order', { raw }));
  if (order.length) {
    issues.push({
      check: 'order',
      pair,
      count: order.length,
      rows: order.slice(0, 5).map((r) => `${r.prev_ts} -> ${r.ts_utc}`),
      message: `${pair}: bar instants are not strictly increasing (duplicates or disorder)`,
    });
  }
  const gaps = await duck.rows<{ prev_ts: string; ts_utc: string; gap_minutes: bigint }>(
    templateSql('check_gaps', { raw, from: o.from, to: o.to, max_gap: o.maxGapMinutes }),
  );
  if (gaps.length) {
    issues.push({
      check: 'gap',
      pair,
      count: gaps.length,
      rows: gaps.slice(0, 5).map((g) => `${g.prev_ts} -> ${g.ts_utc} (${Number(g.gap_minutes)} min)`),
      message: `${pair}: ${gaps.length} gap(s) longer than ${o.maxGapMinutes} minutes outside the weekend close`,
    });
  }
  const aggregates = featureSet.base.flatMap((c, i) => {
    const q = duckIdent(c.name);
    return [
      `count_if(isnan(${q}) or isinf(${q})) as bad_${i}`,
      `count_if(bar >= ${c.warmup}) as n_${i}`,
      `count_if(bar >= ${c.warmup} and ${q} is null) as null_${i}`,
    ];
  });
  const [counts] = await duck.rows<Record<string, bigint>>(
    templateSql('check_values', { series, from: o.from, to: o.to, aggregates: aggregates.join(',\n  ') }),
  );
  const missing: Record<string, number> = {};
  for (const [i, c] of featureSet.base.entries()) {
    const bad = Number(counts[`bad_${i}`]);
    const n = Number(counts[`n_${i}`]);
    const nulls = Number(counts[`null_${i}`]);
    missing[c.name] = n ? nulls / n : 0;
    const rows = async () =>
      (
        await duck.rows<{ ts_utc: string }>(
          templateSql('check_value_rows', { series, from: o.from, to: o.to, column: duckIdent(c.name), warmup: c.warmup }),
        )
      ).map((r) => r.ts_utc);
    if (bad)
      issues.push({
        check: 'nan_or_infinity',
        pair,
        feature: c.name,
        count: bad,
        rows: await rows(),
        message: `${pair}.${c.name}: ${bad} NaN or Infinity value(s)`,
      });
    if (n && c.sparse && nulls === n) {
      issues.push({
        check: 'missing_share',
        pair,
        feature: c.name,
        count: nulls,
        rows: await rows(),
        message: `${pair}.${c.name}: NULL on every row past its ${c.warmup}-bar warm-up (never computed?)`,
      });
    } else if (n && !c.sparse && nulls / n >= o.maxMissing) {
      issues.push({
        check: 'missing_share',
        pair,
        feature: c.name,
        count: nulls,
        rows: await rows(),
        message: `${pair}.${c.name}: ${((100 * nulls) / n).toFixed(2)}% NULL past its ${c.warmup}-bar warm-up (limit ${(100 * o.maxMissing).toFixed(2)}%)`,
      });
    }
  }
  return { pair, issues, missing, gaps: gaps.length };
}
