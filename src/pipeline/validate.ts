/**
 * Stage 2: validate one pair's extract before anything is derived from it (spec section 7):
 * strictly increasing instants (no duplicates), no NaN or ±Infinity, no gap beyond the weekend close
 * longer than --max-gap minutes, and each feature's missing share past its warm-up below --max-missing
 * (a column the catalog marks sparse, NULL often by its own definition, only has to be computed at all).
 * Every failure names the check, the pair, the feature and the first offending instants.
 * A chunked build validates chunk by chunk (validateChunk: each chunk's own rows, counts and first
 * offending instants) and merges them (mergeValidation) into what one pass over the range reports.
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

/** One chunk's findings: rows in [from, to) (and, for order, the history before a first chunk). */
export interface ChunkValidation {
  order: Array<{ prev_ts: string; ts_utc: string }>;
  gaps: Array<{ prev_ts: string; ts_utc: string; gap_minutes: bigint }>;
  /** Per base column: NaN/Infinity, rows past warm-up, NULLs among them. */
  counts: Array<{ bad: number; n: number; nulls: number }>;
  /** Per base column that may fail: its first offending instants in the chunk (up to 5). */
  rows: Map<number, string[]>;
}

/** The order check's lower bound in a first chunk: its history before --from is checked too. */
export const FIRST_CHUNK_LO = "'-infinity'::timestamptz";

const ORDER_LIMIT = 20;
const GAP_LIMIT = 50;
const ROWS_LIMIT = 5;

/** `lo`: the order check's first instant (FIRST_CHUNK_LO in a first chunk). */
export async function validateChunk(
  duck: DuckSession,
  raw: string,
  series: string,
  featureSet: FeatureSet,
  o: { from: string; to: string; lo: string; maxGapMinutes: number },
): Promise<ChunkValidation> {
  const order = await duck.rows<{ prev_ts: string; ts_utc: string }>(templateSql('check_order', { raw, lo: o.lo, hi: o.to }));
  const gaps = await duck.rows<{ prev_ts: string; ts_utc: string; gap_minutes: bigint }>(
    templateSql('check_gaps', { raw, from: o.from, to: o.to, max_gap: o.maxGapMinutes }),
  );
  return { order, gaps, ...(await valueCounts(duck, series, featureSet, o)) };
}

async function valueCounts(
  duck: DuckSession,
  series: string,
  featureSet: FeatureSet,
  o: { from: string; to: string },
): Promise<Pick<ChunkValidation, 'counts' | 'rows'>> {
  const aggregates = featureSet.base.flatMap((c, i) => {
    const q = duckIdent(c.name);
    return [
      `count_if(isnan(${q}) or isinf(${q})) as bad_${i}`,
      `count_if(bar >= ${c.warmup}) as n_${i}`,
      `count_if(bar >= ${c.warmup} and ${q} is null) as null_${i}`,
    ];
  });
  const [r] = await duck.rows<Record<string, bigint>>(
    templateSql('check_values', { series, from: o.from, to: o.to, aggregates: aggregates.join(',\n  ') }),
  );
  const counts = featureSet.base.map((_, i) => ({ bad: Number(r[`bad_${i}`]), n: Number(r[`n_${i}`]), nulls: Number(r[`null_${i}`]) }));
  const rows = new Map<number, string[]>();
  for (const [i, c] of featureSet.base.entries()) {
    const k = counts[i];
    // only a column that can still fail over the whole range needs its instants: a sparse one fails
    // only when NULL on every row, so only when NULL on every row of each chunk
    const maybe = k.bad > 0 || (c.sparse ? k.n > 0 && k.nulls === k.n : k.nulls > 0);
    if (!maybe) continue;
    rows.set(
      i,
      (
        await duck.rows<{ ts_utc: string }>(
          templateSql('check_value_rows', { series, from: o.from, to: o.to, column: duckIdent(c.name), warmup: c.warmup }),
        )
      ).map((x) => x.ts_utc),
    );
  }
  return { counts, rows };
}

/** Whether the chunks so far already fail (order, gaps, NaN): the build derives nothing more from them. */
export function chunksFail(chunks: ChunkValidation[]): boolean {
  return chunks.some((c) => c.order.length > 0 || c.gaps.length > 0 || c.counts.some((k) => k.bad > 0));
}

/** The chunks' findings as one pass over the whole range reports them (limits applied after merging). */
export function mergeValidation(pair: string, chunks: ChunkValidation[], featureSet: FeatureSet, o: ValidateOptions): PairValidation {
  const issues: ValidationIssue[] = [];
  const byTs = <T extends { ts_utc: string }>(a: T, b: T) => (a.ts_utc < b.ts_utc ? -1 : a.ts_utc > b.ts_utc ? 1 : 0);
  const order = chunks
    .flatMap((c) => c.order)
    .sort(byTs)
    .slice(0, ORDER_LIMIT);
  if (order.length) {
    issues.push({
      check: 'order',
      pair,
      count: order.length,
      rows: order.slice(0, 5).map((r) => `${r.prev_ts} -> ${r.ts_utc}`),
      message: `${pair}: bar instants are not strictly increasing (duplicates or disorder)`,
    });
  }
  const gaps = chunks.flatMap((c) => c.gaps).slice(0, GAP_LIMIT);
  if (gaps.length) {
    issues.push({
      check: 'gap',
      pair,
      count: gaps.length,
      rows: gaps.slice(0, 5).map((g) => `${g.prev_ts} -> ${g.ts_utc} (${Number(g.gap_minutes)} min)`),
      message: `${pair}: ${gaps.length} gap(s) longer than ${o.maxGapMinutes} minutes outside the weekend close`,
    });
  }
  const missing: Record<string, number> = {};
  for (const [i, c] of featureSet.base.entries()) {
    let bad = 0;
    let n = 0;
    let nulls = 0;
    for (const ch of chunks) {
      bad += ch.counts[i].bad;
      n += ch.counts[i].n;
      nulls += ch.counts[i].nulls;
    }
    missing[c.name] = n ? nulls / n : 0;
    const rows = () =>
      chunks
        .flatMap((ch) => ch.rows.get(i) ?? [])
        .sort()
        .slice(0, ROWS_LIMIT);
    if (bad)
      issues.push({
        check: 'nan_or_infinity',
        pair,
        feature: c.name,
        count: bad,
        rows: rows(),
        message: `${pair}.${c.name}: ${bad} NaN or Infinity value(s)`,
      });
    if (n && c.sparse && nulls === n) {
      issues.push({
        check: 'missing_share',
        pair,
        feature: c.name,
        count: nulls,
        rows: rows(),
        message: `${pair}.${c.name}: NULL on every row past its ${c.warmup}-bar warm-up (never computed?)`,
      });
    } else if (n && !c.sparse && nulls / n >= o.maxMissing) {
      issues.push({
        check: 'missing_share',
        pair,
        feature: c.name,
        count: nulls,
        rows: rows(),
        message: `${pair}.${c.name}: ${((100 * nulls) / n).toFixed(2)}% NULL past its ${c.warmup}-bar warm-up (limit ${(100 * o.maxMissing).toFixed(2)}%)`,
      });
    }
  }
  return { pair, issues, missing, gaps: gaps.length };
}

/** The whole range in one pass (one chunk). */
export async function validatePair(
  duck: DuckSession,
  pair: string,
  raw: string,
  series: string,
  featureSet: FeatureSet,
  o: ValidateOptions,
): Promise<PairValidation> {
  const chunk = await validateChunk(duck, raw, series, featureSet, { ...o, lo: FIRST_CHUNK_LO });
  return mergeValidation(pair, [chunk], featureSet, o);
}
