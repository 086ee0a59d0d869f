/**
 * The dataset report's train/test stability section: PSI per selected feature (bars colored by verdict,
 * the watch and drift thresholds as dashed lines) and a warning naming the selected features in drift.
 */
import type { PsiReport } from '../psiTrainTest.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS = { ok: '#38a169', watch: '#d69e2e', drift: '#c53030' } as const;

export function psiChart(p: PsiReport): string {
  const rows = p.features;
  const labelW = 230,
    barH = 12,
    top = 40,
    width = 760;
  const plotW = width - labelW - 70;
  const max = Math.max(p.thresholds.drift * 1.2, ...rows.map((r) => r.psi));
  const x = (v: number) => labelW + (Math.min(v, max) / max) * plotW;
  const height = top + rows.length * (barH + 4) + 30;
  const parts = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="PSI train vs test">`,
    `<text x="0" y="16" font-weight="bold" font-size="14">PSI of each selected feature, train vs test (${esc(p.bins)})</text>`,
  ];
  rows.forEach((r, i) => {
    const y = top + i * (barH + 4);
    parts.push(`<text x="${labelW - 6}" y="${y + barH - 2}" font-size="11" text-anchor="end">${esc(r.feature)}</text>`);
    parts.push(
      `<rect data-mark="1" x="${labelW}" y="${y}" width="${Math.max(0.5, x(r.psi) - labelW).toFixed(1)}" height="${barH}" fill="${COLORS[r.verdict]}"><title>${esc(`${r.feature}: PSI ${r.psi.toFixed(4)}, KS ${r.ks.toFixed(4)} (${r.verdict})`)}</title></rect>`,
    );
    parts.push(`<text x="${(x(r.psi) + 3).toFixed(1)}" y="${y + barH - 2}" font-size="9" fill="#444">${r.psi.toFixed(3)}</text>`);
  });
  for (const [v, label] of [
    [p.thresholds.watch, 'watch'],
    [p.thresholds.drift, 'drift'],
  ] as const) {
    parts.push(
      `<line x1="${x(v)}" y1="${top - 4}" x2="${x(v)}" y2="${height - 24}" stroke="#c00" stroke-dasharray="4 3"/><text x="${x(v) + 3}" y="${height - 10}" font-size="10" fill="#c00">${label} ${v}</text>`,
    );
  }
  parts.push('</svg>');
  const warning = p.warnings.length
    ? `<p class="bad">Warning: ${p.warnings.length} selected feature(s) drift between train and test (PSI &gt; ${p.thresholds.drift}): ${esc(p.warnings.join(', '))}.</p>`
    : `<p class="ok">No selected feature drifts between train and test (every PSI &le; ${p.thresholds.drift}).</p>`;
  return `<h2>Train/test stability</h2>\n${warning}\n${rows.length ? parts.join('\n') : ''}`;
}
