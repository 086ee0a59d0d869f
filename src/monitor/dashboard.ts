/**
 * `bqx report --out DIR`: a static HTML dashboard of the store (index.html with inline SVG, no script
 * and no server; dashboard.json beside it with the same figures): freshness per pair, completeness and
 * NULL share per family and month, a drift heatmap per family and month (the share of the family's
 * (pair, column) features whose PSI against the month before is above 0.25), and the refresh history.
 * Everything comes from bqx.feature_stats, bqx.watermarks, bqx.refresh_runs and one count of bqx.m1.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { barChart, esc, heatmap, stackedColumns } from './dashboardCharts.ts';
import { drift } from './drift.ts';
import { PSI_DRIFT } from './psi.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface Dashboard {
  generatedAt: string;
  freshness: Array<{ pair: string; newest_bar: Date; lag_minutes: number; families: number; families_current: number }>;
  completeness: Array<{ family: string; month: string; completeness: number; null_share: number | null }>;
  drift: Array<{ family: string; month: string; features: number; drift: number; share: number; maxPsi: number }>;
  runs: Array<{ day: string; ok: number; error: number; skipped: number; rows: number; seconds: number }>;
  recentRuns: Array<Record<string, unknown>>;
}

const monthEnd = (m: string) => {
  const d = new Date(`${m}T00:00:00Z`);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

export async function collectDashboard(pool: pg.Pool): Promise<Dashboard> {
  const months = (await pool.query<{ month: string }>(sql('dash_months'))).rows.map((r) => r.month);
  const pairs = (await pool.query<{ pair: string }>(loadSql(import.meta.url, '../db/sql/pairs.sql'))).rows.map((r) => r.pair);
  const driftCells: Dashboard['drift'] = [];
  for (let i = 1; i < months.length; i++) {
    const rows = await drift(pool, {
      baseline: { from: Date.parse(`${months[i - 1]}T00:00:00Z`), to: monthEnd(months[i - 1]) },
      against: { from: Date.parse(`${months[i]}T00:00:00Z`), to: monthEnd(months[i]) },
      pairs,
    });
    const byFamily = new Map<string, { features: number; drift: number; maxPsi: number }>();
    for (const r of rows) {
      const c = byFamily.get(r.family) ?? { features: 0, drift: 0, maxPsi: 0 };
      c.features++;
      if (r.psi > PSI_DRIFT) c.drift++;
      c.maxPsi = Math.max(c.maxPsi, r.psi);
      byFamily.set(r.family, c);
    }
    for (const [family, c] of byFamily) driftCells.push({ family, month: months[i].slice(0, 7), ...c, share: c.drift / c.features });
  }
  return {
    generatedAt: new Date().toISOString(),
    freshness: (await pool.query<Dashboard['freshness'][number]>(sql('dash_freshness'))).rows,
    completeness: (await pool.query<Dashboard['completeness'][number]>(sql('dash_completeness'))).rows,
    drift: driftCells,
    runs: (await pool.query<Dashboard['runs'][number]>(sql('dash_runs'))).rows,
    recentRuns: (await pool.query<Record<string, unknown>>(sql('dash_recent_runs'), [50])).rows,
  };
}

export function renderDashboard(d: Dashboard): string {
  const famMonths = (cells: Array<{ family: string; month: string }>) => ({
    families: [...new Set(cells.map((c) => c.family))].sort(),
    months: [...new Set(cells.map((c) => c.month))].sort(),
  });
  const lookup = <T extends { family: string; month: string }>(cells: T[], f: (c: T) => number | null) => {
    const m = new Map(cells.map((c) => [`${c.family}|${c.month}`, f(c)]));
    return (r: string, c: string) => m.get(`${r}|${c}`) ?? NaN;
  };
  const comp = famMonths(d.completeness);
  const dr = famMonths(d.drift);
  const section = (title: string, body: string) => `<section><h2>${esc(title)}</h2>\n${body}\n</section>`;
  const none = (what: string) => `<p class="none">${esc(what)}</p>`;
  const runsTable = `<table><thead><tr>${['id', 'pair', 'family', 'from', 'to', 'rows', 'seconds', 'status', 'trigger', 'error'].map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>\n${d.recentRuns
    .map(
      (r) =>
        `<tr class="${esc(String(r.status))}">${[
          r.id,
          r.pair,
          r.family,
          iso(r.range_from),
          iso(r.range_to),
          r.rows,
          Number(r.duration_s ?? 0).toFixed(2),
          r.status,
          r.trigger,
          r.error ?? '',
        ]
          .map((v) => `<td>${esc(String(v ?? ''))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n')}\n</tbody></table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>bqx-store dashboard</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; }
section { margin-bottom: 28px; }
table { border-collapse: collapse; font-size: 12px; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
tr.error td { background: #fde0dc; }
.none { color: #777; }
</style>
</head>
<body>
<h1>bqx-store dashboard</h1>
<p>Generated ${esc(d.generatedAt)} from bqx.feature_stats, bqx.watermarks and bqx.refresh_runs.</p>
${section(
  'Freshness per pair',
  d.freshness.length
    ? barChart(
        'minutes the slowest family trails the newest bar',
        d.freshness.map((f) => `${f.pair} (${f.families_current}/${f.families} current)`),
        d.freshness.map((f) => f.lag_minutes),
        { unit: 'min' },
      )
    : none('no bars yet'),
)}
${section(
  'Completeness per family and month',
  comp.families.length
    ? heatmap(
        "share of the month's bars the family holds",
        comp.families,
        comp.months,
        lookup(d.completeness, (c) => c.completeness),
        { lo: 0, hi: 1, rgb: [26, 152, 80] },
      )
    : none('no statistics yet'),
)}
${section(
  'NULL share per family and month',
  comp.families.length
    ? heatmap(
        "mean NULL share of the family's columns",
        comp.families,
        comp.months,
        lookup(d.completeness, (c) => c.null_share),
        { lo: 0, hi: 0.05, rgb: [215, 48, 39], digits: 4 },
      )
    : none('no statistics yet'),
)}
${section(
  'Drift per family and month',
  dr.families.length
    ? heatmap(
        `share of features with PSI > ${PSI_DRIFT} against the month before`,
        dr.families,
        dr.months,
        lookup(d.drift, (c) => c.share),
        { lo: 0, hi: 1, rgb: [117, 107, 177] },
      )
    : none('drift needs two months of statistics'),
)}
${section(
  'Refresh history',
  d.runs.length
    ? stackedColumns(
        'refresh units per day',
        d.runs.map((r) => r.day),
        [
          { name: 'ok', color: '#1a9850', values: d.runs.map((r) => r.ok) },
          { name: 'error', color: '#d73027', values: d.runs.map((r) => r.error) },
          { name: 'skipped', color: '#999', values: d.runs.map((r) => r.skipped) },
        ],
      ) +
        '\n' +
        runsTable
    : none('no refresh has run yet'),
)}
</body>
</html>
`;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString().replace('.000Z', 'Z') : String(v ?? ''));

/** Writes index.html and dashboard.json into dir (made if absent); returns the page's path. */
export async function writeDashboard(pool: pg.Pool, dir: string): Promise<{ index: string; data: Dashboard }> {
  const data = await collectDashboard(pool);
  fs.mkdirSync(dir, { recursive: true });
  const index = path.join(dir, 'index.html');
  fs.writeFileSync(path.join(dir, 'dashboard.json'), JSON.stringify(data, null, 2) + '\n');
  fs.writeFileSync(index, renderDashboard(data));
  return { index, data };
}
