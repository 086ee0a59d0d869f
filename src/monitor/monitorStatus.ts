/**
 * The monitoring section of `bqx status`: features in drift between the two newest months with
 * statistics, and the data-quality alerts. The alerts are bqx verify's own checks on the statistics
 * (sql/checks/feature_stats_*.sql: a NULL share that jumps, a column gone constant, a pair's bar count
 * falling against its usual level), read from the same files, so status and verify never disagree.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { SQL_DIR } from '../db/paths.ts';
import { type DriftRow, drift } from './drift.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const check = (name: string) => fs.readFileSync(path.join(SQL_DIR, 'checks', `${name}.sql`), 'utf8');

export const ALERT_CHECKS = {
  null_share_jump: 'feature_stats_null_jump',
  gone_constant: 'feature_stats_gone_constant',
  bar_count_low: 'feature_stats_bar_count',
} as const;

export interface MonitorStatus {
  drift: { baseline: string; against: string; compared: number; watch: number; drift: number; top: DriftRow[] } | null;
  alerts: Array<{ alert: keyof typeof ALERT_CHECKS } & Record<string, unknown>>;
}

const monthAfter = (d: string) => {
  const t = new Date(`${d}T00:00:00Z`);
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1);
};

export async function monitorStatus(pool: pg.Pool, top = 10): Promise<MonitorStatus> {
  const months = (await pool.query<{ month: string }>(sql('stats_months'))).rows.map((r) => r.month);
  let d: MonitorStatus['drift'] = null;
  if (months.length === 2) {
    const [against, baseline] = months;
    const pairs = (await pool.query<{ pair: string }>(loadSql(import.meta.url, '../db/sql/pairs.sql'))).rows.map((r) => r.pair);
    const rows = await drift(pool, {
      baseline: { from: Date.parse(`${baseline}T00:00:00Z`), to: monthAfter(baseline) },
      against: { from: Date.parse(`${against}T00:00:00Z`), to: monthAfter(against) },
      pairs,
    });
    d = {
      baseline: baseline.slice(0, 7),
      against: against.slice(0, 7),
      compared: rows.length,
      watch: rows.filter((r) => r.verdict === 'watch').length,
      drift: rows.filter((r) => r.verdict === 'drift').length,
      top: rows.filter((r) => r.verdict === 'drift').slice(0, top),
    };
  }
  const alerts: MonitorStatus['alerts'] = [];
  for (const [alert, file] of Object.entries(ALERT_CHECKS) as Array<[keyof typeof ALERT_CHECKS, string]>) {
    for (const r of (await pool.query<Record<string, unknown>>(check(file))).rows) alerts.push({ alert, ...r });
  }
  return { drift: d, alerts };
}

/** The human lines of the section. */
export function formatMonitorStatus(m: MonitorStatus): string[] {
  const out = ['', 'monitoring (bqx.feature_stats):'];
  if (!m.drift) out.push('  drift: fewer than two months of statistics');
  else {
    out.push(
      `  drift ${m.drift.baseline} -> ${m.drift.against}: ${m.drift.drift} features in drift (PSI > 0.25), ${m.drift.watch} to watch, of ${m.drift.compared}`,
    );
    for (const r of m.drift.top) out.push(`    ${r.pair}.${r.family}.${r.column}: PSI ${r.psi.toFixed(3)}, KS ${r.ks.toFixed(3)}`);
  }
  out.push(`  data-quality alerts: ${m.alerts.length || 'none'}`);
  for (const a of m.alerts.slice(0, 20)) {
    const { alert, ...rest } = a;
    out.push(
      `    ${alert}: ${Object.entries(rest)
        .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString().slice(0, 10) : v}`)
        .join(' ')}`,
    );
  }
  if (m.alerts.length > 20) out.push(`    (${m.alerts.length - 20} more: bqx status --json, or bqx verify)`);
  return out;
}
