/**
 * Stage 8c: the report, report.html (charts first, each with its axes and units: R^2 per horizon against
 * persistence, the top-30 importance with permutation importance beside it, missing share per family
 * with its worst column, the baseline's predictions against the actual change on a test stretch; then the split, the
 * checks, stability, per-pair rows and timings) and report.json with everything behind it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BaselineResult, HorizonScore } from './baseline.ts';
import type { PairBuild } from './buildPair.ts';
import type { FeatureSet } from './featureSet.ts';
import type { Manifest } from './manifest.ts';
import type { PsiReport } from './psiTrainTest.ts';
import { psiChart } from './report/psiChart.ts';
import { esc, fmt, horizontalBars, lineChart, pct } from './report/svgCharts.ts';
import type { SelectionResult } from './select/selectFeatures.ts';

export const R2_CRITERION = 0.1;

/**
 * The plan's criterion, R^2 > 0.1, judged on what the model predicts (the change d_bqx_w60_h, whose
 * persistence R^2 is 0), and the model must beat persistence on the level too: at long horizons the
 * level's variance is smaller than the change's, so a good change model can still score below 0 there.
 */
export function baselinePasses(h: HorizonScore): boolean {
  return h.r2Change > R2_CRITERION && h.r2Change > h.persistenceR2Change && h.r2Level > h.persistenceR2Level;
}

export interface ReportInput {
  manifest: Manifest;
  featureSet: FeatureSet;
  pairs: PairBuild[];
  selection: SelectionResult;
  baseline: BaselineResult;
  seconds: number;
  /** Train/test PSI of the selected features (src/pipeline/psiTrainTest.ts). */
  psi?: PsiReport;
}

/**
 * Mean and max missing share (past warm-up) per family, over pairs and the family's columns, with the
 * column (and pair) where the max is: the one to look at first.
 */
export function missingByFamily(
  featureSet: FeatureSet,
  pairs: PairBuild[],
): Array<{ family: string; mean: number; max: number; worstColumn: string | null; worstPair: string | null; sparseColumns: number }> {
  return featureSet.families.map((family) => {
    const cols = featureSet.base.filter((c) => c.family === family);
    const cells = pairs.flatMap((p) => cols.map((c) => ({ pair: p.pair, column: c.name, share: p.validation.missing[c.name] ?? 0 })));
    const worst = cells.reduce<(typeof cells)[number] | null>((w, c) => (c.share > (w?.share ?? 0) ? c : w), null);
    return {
      family,
      mean: cells.reduce((a, c) => a + c.share, 0) / Math.max(1, cells.length),
      max: worst?.share ?? 0,
      worstColumn: worst?.column ?? null,
      worstPair: worst?.pair ?? null,
      sparseColumns: cols.filter((c) => c.sparse).length,
    };
  });
}

const table = (head: string[], rows: Array<Array<string | number>>) =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? fmt(c) : c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

export function renderHtml(r: ReportInput): string {
  const m = r.manifest;
  const b = r.baseline.horizons;
  const passes = b.filter(baselinePasses);
  const top = r.selection.ranking.slice(0, 30);
  const missing = missingByFamily(r.featureSet, r.pairs);
  const totals = { train: 0, validation: 0, test: 0 };
  for (const rows of Object.values(m.rows)) {
    totals.train += rows.train;
    totals.validation += rows.validation;
    totals.test += rows.test;
  }
  const hz = (h: number) => String(Math.round(h));
  const stretch = r.baseline.testStretch?.find((x) => x.horizon === Math.max(...r.featureSet.horizons)) ?? r.baseline.testStretch?.[0];
  const charts = [
    horizontalBars(
      'Test R² per horizon: ridge on the selected features vs persistence',
      b.flatMap((h) => [`h = ${hz(h.horizon)} min, level (lead)`, `h = ${hz(h.horizon)} min, change (d)`]),
      [
        { name: 'ridge baseline', color: '#2b6cb0', values: b.flatMap((h) => [h.r2Level, h.r2Change]) },
        { name: 'persistence', color: '#a0aec0', values: b.flatMap((h) => [h.persistenceR2Level, h.persistenceR2Change]) },
      ],
      {
        valueLabel: 'R² on the test split (unitless: 1 = perfect, 0 = no better than the mean)',
        categoryLabel: 'horizon (minutes ahead) and target',
      },
      { marker: { value: R2_CRITERION, label: `criterion R² > ${R2_CRITERION}` } },
    ),
    horizontalBars(
      `Top ${top.length} features: impurity importance (train) and permutation importance (validation R² drop)`,
      top.map((t) => t.feature),
      [
        { name: 'impurity (share)', color: '#2f855a', values: top.map((t) => t.impurity) },
        { name: 'permutation (R² drop)', color: '#dd6b20', values: top.map((t) => t.permutation ?? NaN) },
      ],
      {
        valueLabel: "importance (unitless): impurity = share of the forest's variance reduction; permutation = drop in validation R²",
        categoryLabel: 'feature',
      },
    ),
    horizontalBars(
      'Missing share past warm-up, per family (mean over columns and pairs, and the worst column)',
      missing.map((x) => (x.worstColumn ? `${x.family} (worst: ${x.worstColumn})` : x.family)),
      [
        { name: 'mean', color: '#805ad5', values: missing.map((x) => x.mean) },
        { name: 'worst column', color: '#d53f8c', values: missing.map((x) => x.max) },
      ],
      { valueLabel: 'missing share of the rows past warm-up (% of rows)', categoryLabel: 'family (its worst column)', format: pct },
    ),
    ...(stretch && stretch.actual.length > 1
      ? [
          lineChart(
            `Ridge prediction against the actual change, h = ${hz(stretch.horizon)} min, first ${stretch.actual.length} test bars of ${stretch.pair}`,
            stretch.actual.map((_, i) => i),
            [
              { name: `actual d_bqx_w60_${hz(stretch.horizon)}`, color: '#2d3748', values: stretch.actual },
              { name: 'ridge prediction', color: '#dd6b20', values: stretch.predicted },
            ],
            {
              valueLabel: `d_bqx_w60_${hz(stretch.horizon)} (change of w60_bqx_return, BQX units)`,
              categoryLabel: 'bars into the test stretch (1 bar = 1 minute)',
            },
          ),
        ]
      : []),
  ];
  const st = r.selection.stability;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bqx dataset ${esc(m.range.from.slice(0, 10))} – ${esc(m.range.to.slice(0, 10))}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#1a202c}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #e2e8f0;padding:3px 8px;text-align:right}th{background:#f7fafc}
td:first-child,th:first-child{text-align:left}.ok{color:#276749;font-weight:bold}.bad{color:#c53030;font-weight:bold}svg{margin:12px 0;display:block}code{background:#f7fafc}</style></head>
<body>
<h1>bqx dataset</h1>
<p>${m.pairs.length} pair(s), [${esc(m.range.from)}, ${esc(m.range.to)}), ${m.features.count} feature columns (${esc(m.features.families.join(', '))}; lags ${m.features.lags.join(', ')}), horizons ${esc(r.featureSet.horizons.map(hz).join(', '))} minutes.
Built in ${r.seconds.toFixed(1)} s with bqx-store ${esc(m.versions.bqxStore)}${m.versions.git ? ` (${esc(m.versions.git.slice(0, 10))})` : ''}, PostgreSQL ${esc(m.versions.postgres)}, DuckDB ${esc(m.versions.duckdb)}.</p>
<p>Baseline criterion (test R² of the predicted change d_bqx_w60_h above ${R2_CRITERION}, and above persistence on the change and on the level): <span class="${passes.length === b.length ? 'ok' : 'bad'}">${passes.length} of ${b.length} horizons pass</span>.
Leakage checks: <span class="ok">all passed</span> (split order; label reach; feature reach: lags of ${Object.values(m.leakage).reduce((s, l) => s + l.featureReach.sampledRows, 0)} sampled rows recomputed by bar number, and ${Object.values(m.leakage).filter((l) => l.recomputed).length} rows, one per pair, recomputed in PostgreSQL on history truncated at the row).</p>
${charts.join('\n')}
${r.psi ? psiChart(r.psi) : ''}
<h2>Baseline (ridge, λ chosen on validation)</h2>
${table(
  ['horizon', 'λ', 'validation R² (change)', 'test R² level', 'persistence level', 'test R² change', 'persistence change', 'test rows'],
  b.map((h) => [
    hz(h.horizon),
    String(h.lambda),
    h.validationR2,
    h.r2Level,
    h.persistenceR2Level,
    h.r2Change,
    h.persistenceR2Change,
    String(h.testRows),
  ]),
)}
<h2>Missing values past warm-up</h2>
${table(
  ['family', 'mean share', 'worst column', 'its pair', 'its share', 'sparse columns'],
  missing.map((x) => [
    esc(x.family),
    pct(x.mean),
    x.worstColumn ? `<code>${esc(x.worstColumn)}</code>` : '–',
    esc(x.worstPair ?? '–'),
    pct(x.max),
    String(x.sparseColumns),
  ]),
)}
<h2>Split</h2>
${table(
  ['split', 'from', 'to', 'rows'],
  [
    ['train', esc(m.range.from), esc(m.split.validationFrom), String(totals.train)],
    ['validation', esc(m.split.validationFrom), esc(m.split.testFrom), String(totals.validation)],
    ['test', esc(m.split.testFrom), esc(m.range.to), String(totals.test)],
  ],
)}
<p>Cut instants are shared by all pairs; the last ${m.split.purgeBars} bars before each cut (and before the end) are purged, so no label reads into the next split. The scaler and the selection are fit on train only.</p>
<h2>Selection</h2>
<p>Histogram random forest: ${r.selection.forest.trees} trees, depth ${r.selection.forest.maxDepth}, ${r.selection.forest.bins} bins, ${fmt(r.selection.forest.maxFeatures)} of the features per tree, fit on ${r.selection.trainRows} train rows, target <code>${esc(r.selection.target)}</code>; forest R² on ${r.selection.validationRows} validation rows: ${fmt(r.selection.validationR2)}.
Stability across ${st.groups} disjoint groups of ${st.treesPerGroup} trees (their own bootstrap seeds): mean Spearman of the importance ${fmt(st.spearman)}, mean Jaccard overlap of the top ${r.selection.selected.length}: ${fmt(st.jaccardTopN)}.</p>
<h2>Pairs</h2>
${table(
  ['pair', 'train', 'validation', 'test', 'gaps', 'seconds'],
  r.pairs.map((p) => [
    p.pair,
    String(p.files!.train.rows),
    String(p.files!.validation.rows),
    String(p.files!.test.rows),
    String(p.validation.gaps),
    p.seconds,
  ]),
)}
<p>Files, checksums, the scaler and the full ranking: <code>manifest.json</code> and <code>report.json</code>.</p>
</body></html>
`;
}

export function writeReport(dir: string, r: ReportInput): void {
  fs.writeFileSync(path.join(dir, 'report.html'), renderHtml(r));
  const json = {
    manifest: r.manifest.format,
    seconds: r.seconds,
    baseline: r.baseline,
    selection: r.selection,
    missingByFamily: missingByFamily(r.featureSet, r.pairs),
    psi: r.psi,
    pairs: r.pairs.map((p) => ({
      pair: p.pair,
      seconds: p.seconds,
      phases: p.phases,
      extract: p.extract,
      gaps: p.validation.gaps,
      missing: p.validation.missing,
      leakage: p.leakage,
    })),
  };
  fs.writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify(json, null, 2)}\n`);
}
