/**
 * The spine's dataset view of one pair (sql/spine_dataset.sql): each event ASOF-joined to the latest
 * bar complete at its instant, with that bar's dataset row (features, lags, labels, split, purge).
 */
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';
import { featureExpressions } from './lag.ts';
import { type Cuts, tsLiteral } from './split.ts';

export async function buildSpineDataset(
  duck: DuckSession,
  pair: string,
  t: { dataset: string; series: string },
  featureSet: FeatureSet,
  cuts: Cuts,
  from: number,
  to: number,
  carried: string[],
  /** The bars whose events to keep, when a chunk of [from, to). */
  rows: { from: number; to: number } = { from, to },
): Promise<void> {
  await duck.run(
    templateSql('spine_dataset', {
      dataset: duckIdent(t.dataset),
      series: duckIdent(t.series),
      pair: duckLiteral(pair),
      cut1: tsLiteral(cuts.cut1),
      cut2: tsLiteral(cuts.cut2),
      from: tsLiteral(from),
      to: tsLiteral(to),
      row_from: tsLiteral(rows.from),
      row_to: tsLiteral(rows.to),
      max_horizon: Math.max(...featureSet.horizons),
      warmup: featureSet.warmup,
      feature_columns: featureExpressions(featureSet).join(',\n    '),
      label_columns: featureSet.labels.map(duckIdent).join(', '),
      carried: carried.map((c) => `e.${duckIdent(c)}, `).join(''),
    }),
  );
}

/** The spine's columns in the files, before ts_utc: the event number, its instant, the carried ones. */
export const spineLeadingColumns = (carried: string[]) => ['event', 'ts', ...carried];
