/**
 * Leakage checks, run on every build and failing it (BQX_LEAKAGE):
 * - split order: the last train row plus the purge comes before the first validation row (and the
 *   same between validation and test), in bars and in time;
 * - label reach: no row's labels read a bar at or past its split's end, counted from the series
 *   independently of the lead() that made the split;
 * - feature reach: a seeded sample of the rows written to Parquet has every lagged column recomputed
 *   from the series truncated at the row, by bar number rather than by the lag() window that built it;
 *   and (recomputeSample.ts) one row per pair has its features recomputed in Postgres on history
 *   truncated at the row.
 * A chunked build (buildPair.ts) runs feature reach on each chunk's files against that chunk's series
 * (which holds every bar its rows' lags read), and the split checks once on the pair's keys (bar,
 * ts_utc, split of every row) and bars (bar, ts_utc of its whole series), which are all they read.
 */
import { BqxError } from '../db/errors.ts';
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';
import type { RecomputeReport } from './recomputeSample.ts';
import type { SpineLeakageReport } from './spineLeakage.ts';
import { type Cuts, tsLiteral } from './split.ts';

export interface LeakageReport {
  splitOrder: 'pass';
  labelReach: 'pass';
  featureReach: { sampledRows: number; columnsChecked: number };
  /** The store's side of feature reach: one row recomputed in Postgres on truncated history (recomputeSample.ts). */
  recomputed?: RecomputeReport | null;
  /** On a spine (spineLeakage.ts): every event's bar complete at its instant, and the latest such. */
  spine?: SpineLeakageReport;
}

const leakError = (pair: string, check: string, message: string, details: unknown) =>
  new BqxError('BQX_LEAKAGE', `${pair}: leakage check "${check}" failed: ${message}`, {
    hint: 'this is a bug in the pipeline, not in your data: report it with this output',
    details: { check, pair, ...Object(details) },
  });

/** Split order and label reach: `dataset` needs columns bar, ts_utc, split; `series` bar, ts_utc. */
export async function checkSplitLeakage(
  duck: DuckSession,
  pair: string,
  t: { dataset: string; series: string },
  featureSet: FeatureSet,
  cuts: Cuts,
  to: number,
): Promise<void> {
  const maxH = Math.max(...featureSet.horizons);
  const ds = duckIdent(t.dataset);
  const order = await duck.rows(templateSql('leak_split_order', { dataset: ds, max_horizon: maxH }));
  if (order.length) throw leakError(pair, 'split order', 'a split ends less than the purge before the next begins', { rows: order });
  const reach = await duck.rows(
    templateSql('leak_label_reach', {
      dataset: ds,
      series: duckIdent(t.series),
      max_horizon: maxH,
      cut1: tsLiteral(cuts.cut1),
      cut2: tsLiteral(cuts.cut2),
      to: tsLiteral(to),
    }),
  );
  if (reach.length) throw leakError(pair, 'label reach', 'a label reads a bar past the end of its split', { rows: reach });
}

/** Feature reach on a seeded sample of `files` (their rows' lag sources all in `series`); returns the columns checked. */
export async function checkLagReach(
  duck: DuckSession,
  pair: string,
  series: string,
  featureSet: FeatureSet,
  seed: number,
  files: string[],
  sampleRows: number,
): Promise<number> {
  const lagged = featureSet.columns.filter((c) => c.lag > 0);
  if (!lagged.length || !files.length) return lagged.length;
  const lags = [...new Set(lagged.map((c) => c.lag))];
  const s = duckIdent(series);
  const comparisons = lagged
    .map((c) => `case when d.${duckIdent(c.name)} is distinct from h${c.lag}.${duckIdent(c.source)} then ${duckLiteral(c.name)} end`)
    .join(', ');
  const joins = lags.map((n) => `left join ${s} h${n} on h${n}.bar = d.bar - ${n} and h${n}.ts_utc <= d.ts_utc`).join('\n');
  const bad = await duck.rows<{ ts_utc: string; differing: string[] }>(
    templateSql('leak_lag_sample', {
      series: s,
      files: `[${files.map(duckLiteral).join(', ')}]`,
      sample_rows: sampleRows,
      seed,
      comparisons,
      joins,
    }),
  );
  if (bad.length)
    throw leakError(
      pair,
      'feature reach',
      `lagged columns differ from the truncated-history recomputation at ${bad.length} sampled row(s)`,
      {
        rows: bad.slice(0, 5),
      },
    );
  return lagged.length;
}

/** Every check on one dataset view and its series, in one pass (an unchunked pair). */
export async function checkLeakage(
  duck: DuckSession,
  pair: string,
  t: { dataset: string; series: string },
  featureSet: FeatureSet,
  cuts: Cuts,
  to: number,
  seed: number,
  files: string[],
  sampleRows = 25,
): Promise<LeakageReport> {
  await checkSplitLeakage(duck, pair, t, featureSet, cuts, to);
  const columnsChecked = await checkLagReach(duck, pair, t.series, featureSet, seed, files, sampleRows);
  return {
    splitOrder: 'pass',
    labelReach: 'pass',
    featureReach: { sampledRows: columnsChecked ? sampleRows : 0, columnsChecked },
  };
}
