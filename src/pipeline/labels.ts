/**
 * Stage 4: labels (spec section 6). They come from the labels table (extracted beside the features,
 * never through a feature view) and are joined to the series by instant; the dataset keeps only rows
 * whose every chosen label exists, and a NULL label on a kept row means the labels are stale.
 */
import { BqxError } from '../db/errors.ts';
import { type DuckSession, duckIdent, templateSql } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';

/** Builds the numbered series of one pair: raw features + labels by instant. */
export async function buildSeries(
  duck: DuckSession,
  t: { series: string; raw: string; labels: string },
  barsBefore: number,
  featureSet: FeatureSet,
): Promise<void> {
  // the series numbers bars by the raw table's rowid (sql/series.sql): n rows must carry rowids 0..n-1
  const [dense] = await duck.rows<{ n: bigint; lo: bigint | null; hi: bigint | null }>(
    `select count(*) as n, min(rowid) as lo, max(rowid) as hi from ${duckIdent(t.raw)}`,
  );
  if (dense.n > 0n && (dense.lo !== 0n || dense.hi !== dense.n - 1n))
    throw new Error(`${t.raw}: rowids ${dense.lo}..${dense.hi} for ${dense.n} rows; the series needs 0..n-1`);
  await duck.run(
    templateSql('series', {
      series: duckIdent(t.series),
      raw: duckIdent(t.raw),
      labels: duckIdent(t.labels),
      bars_before: barsBefore,
      label_columns: featureSet.labels.map((l) => `l.${duckIdent(l)}`).join(', '),
    }),
  );
}

export interface LabelsMissing {
  n: number;
  first_ts: string;
  last_ts: string;
}

/** Whether any of the set's labels is NULL, as a select-list expression. */
export const anyLabelNull = (featureSet: FeatureSet) => featureSet.labels.map((l) => `${duckIdent(l)} is null`).join(' or ');

/**
 * Rows of `dataset` with a NULL label (count, first and last instant), or null when there are none.
 * `anyNull`: the condition (a chunked build's keys table carries it as a column).
 */
export async function labelsMissing(duck: DuckSession, dataset: string, anyNull: string): Promise<LabelsMissing | null> {
  const rows = await duck.rows<{ n: bigint; first_ts: string; last_ts: string }>(
    templateSql('labels_missing', { dataset: duckIdent(dataset), any_null: anyNull }),
  );
  return rows.length ? { n: Number(rows[0].n), first_ts: rows[0].first_ts, last_ts: rows[0].last_ts } : null;
}

/** Refuses dataset rows with a NULL label (the purge guarantees the future bars exist). */
export function assertNoLabelsMissing(pair: string, r: LabelsMissing | null): void {
  if (!r) return;
  throw new BqxError(
    'BQX_DATASET_INVALID',
    `${pair}: ${r.n} dataset row(s) from ${r.first_ts} to ${r.last_ts} have no label although their future bars exist`,
    {
      hint: `the labels are behind the bars: run \`bqx refresh --family labels --pairs ${pair}\` (or \`bqx refresh\`), then build again`,
      details: { check: 'labels_missing', pair, count: r.n, rows: [r.first_ts, r.last_ts] },
    },
  );
}

export async function assertLabelsPresent(duck: DuckSession, pair: string, dataset: string, featureSet: FeatureSet): Promise<void> {
  assertNoLabelsMissing(pair, await labelsMissing(duck, dataset, anyLabelNull(featureSet)));
}
