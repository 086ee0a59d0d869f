/** The short human summary of a dataset build (bqx dataset build, and the end of bqx demo). */
import path from 'node:path';
import type { DatasetResult } from '../pipeline/buildDatasetFiles.ts';
import { baselinePasses, R2_CRITERION } from '../pipeline/report.ts';
import { table } from './output.ts';

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');

export function datasetSummary(r: DatasetResult): string {
  const rows = { train: 0, validation: 0, test: 0 };
  for (const p of Object.values(r.manifest.rows)) {
    rows.train += p.train;
    rows.validation += p.validation;
    rows.test += p.test;
  }
  const st = r.selection.stability;
  return [
    `dataset: ${r.pairs.length} pair(s), ${r.featureSet.columns.length} feature columns, rows train ${rows.train} / validation ${rows.validation} / test ${rows.test}`,
    `split:   validation from ${r.cuts.cut1.toISOString()}, test from ${r.cuts.cut2.toISOString()} (purge ${Math.max(...r.featureSet.horizons)} bars before each cut); leakage checks passed`,
    `select:  top ${r.selection.selected.length} of ${r.featureSet.columns.length} by a ${r.selection.forest.trees}-tree forest on ${r.selection.trainRows} train rows (${r.selection.seconds.train.toFixed(1)} s); ` +
      `stability Spearman ${f3(st.spearman)}, top-N Jaccard ${f3(st.jaccardTopN)}`,
    `         top 5: ${r.selection.ranking
      .slice(0, 5)
      .map((x) => x.feature)
      .join(', ')}`,
    '',
    `baseline (ridge on the selected features) vs persistence, test R² (pass: R² of the predicted change > ${R2_CRITERION}, and above persistence on change and level):`,
    table(
      r.baseline.horizons.map((h) => ({
        horizon: h.horizon,
        r2_level: f3(h.r2Level),
        persistence_level: f3(h.persistenceR2Level),
        r2_change: f3(h.r2Change),
        persistence_change: f3(h.persistenceR2Change),
        pass: baselinePasses(h) ? 'yes' : 'no',
      })),
      ['horizon', 'r2_level', 'persistence_level', 'r2_change', 'persistence_change', 'pass'],
    ),
    '',
    `wrote ${r.manifest.files.length} Parquet files, manifest.json, report.html -> ${r.out} (${r.seconds.toFixed(1)} s)`,
    `open ${path.join(r.out, 'report.html')}`,
  ].join('\n');
}
