/**
 * Stage 5: the split (spec section 7). Cut instants are shared by every pair: the SPLIT_CUTS points
 * (catalog: 70% and 85%) of all bars of the chosen pairs in [from, to), pooled. A row belongs to the split its instant falls
 * in; the last max(horizon) bars before each cut (and before --to) are purged, so no label of a split
 * reads a bar of the next. Scalers and the feature selection are fit on the train split only.
 */
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { SPLIT_CUTS } from '../features/catalog/dataset.ts';
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';
import { featureExpressions } from './lag.ts';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export interface Cuts {
  /** Start of validation (end of train). */
  cut1: Date;
  /** Start of test (end of validation). */
  cut2: Date;
  bars: number;
}

export async function splitCuts(
  pool: pg.Pool,
  pairs: string[],
  from: number,
  to: number,
  cuts: [number, number] = SPLIT_CUTS,
): Promise<Cuts> {
  const r = (
    await pool.query<{ o_cut1: Date | null; o_cut2: Date | null; o_bars: number }>(loadSql(import.meta.url, './sql/pg_split_cuts.sql'), [
      pairs,
      new Date(from),
      new Date(to),
      cuts[0],
      cuts[1],
    ])
  ).rows[0];
  if (!r.o_cut1 || !r.o_cut2) {
    // both NULL together: no bars
    throw new BqxError(
      'BQX_BAD_RANGE',
      `no bars for ${pairs.join(',')} in [${new Date(from).toISOString()}, ${new Date(to).toISOString()})`,
      {
        hint: 'ingest bars first (bqx ingest FILE or bqx synth), or choose --from/--to inside the data (bqx status shows it)',
      },
    );
  }
  return { cut1: r.o_cut1, cut2: r.o_cut2, bars: Number(r.o_bars) };
}

/** A DuckDB TIMESTAMPTZ literal. */
export const tsLiteral = (d: Date | number) => `${duckLiteral(new Date(d).toISOString())}::timestamptz`;

export async function buildDataset(
  duck: DuckSession,
  t: { dataset: string; series: string },
  featureSet: FeatureSet,
  cuts: Cuts,
  from: number,
  to: number,
  /** The rows to keep, when a chunk of [from, to) (its series holding the bars its lags and labels reach). */
  rows: { from: number; to: number } = { from, to },
): Promise<void> {
  await duck.run(
    templateSql('dataset', {
      dataset: duckIdent(t.dataset),
      series: duckIdent(t.series),
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
    }),
  );
}
