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
  const maxH = Math.max(...featureSet.horizons);
  const ds = duckIdent(t.dataset);
  const series = duckIdent(t.series);
  const fail = (check: string, message: string, details: unknown) => {
    throw new BqxError('BQX_LEAKAGE', `${pair}: leakage check "${check}" failed: ${message}`, {
      hint: 'this is a bug in the pipeline, not in your data: report it with this output',
      details: { check, pair, ...Object(details) },
    });
  };
  const order = await duck.rows(templateSql('leak_split_order', { dataset: ds, max_horizon: maxH }));
  if (order.length) fail('split order', 'a split ends less than the purge before the next begins', { rows: order });
  const reach = await duck.rows(
    templateSql('leak_label_reach', {
      dataset: ds,
      series,
      max_horizon: maxH,
      cut1: tsLiteral(cuts.cut1),
      cut2: tsLiteral(cuts.cut2),
      to: tsLiteral(to),
    }),
  );
  if (reach.length) fail('label reach', 'a label reads a bar past the end of its split', { rows: reach });
  const lagged = featureSet.columns.filter((c) => c.lag > 0);
  const lags = [...new Set(lagged.map((c) => c.lag))];
  const comparisons = lagged
    .map((c) => `case when d.${duckIdent(c.name)} is distinct from h${c.lag}.${duckIdent(c.source)} then ${duckLiteral(c.name)} end`)
    .join(', ');
  const joins = lags.map((n) => `left join ${series} h${n} on h${n}.bar = d.bar - ${n} and h${n}.ts_utc <= d.ts_utc`).join('\n');
  if (lagged.length) {
    const bad = await duck.rows<{ ts_utc: string; differing: string[] }>(
      templateSql('leak_lag_sample', {
        series,
        files: `[${files.map(duckLiteral).join(', ')}]`,
        sample_rows: sampleRows,
        seed,
        comparisons,
        joins,
      }),
    );
    if (bad.length)
      fail('feature reach', `lagged columns differ from the truncated-history recomputation at ${bad.length} sampled row(s)`, {
        rows: bad.slice(0, 5),
      });
  }
  return {
    splitOrder: 'pass',
    labelReach: 'pass',
    featureReach: { sampledRows: lagged.length ? sampleRows : 0, columnsChecked: lagged.length },
  };
}
