import type { Command } from 'commander';
import { status } from '../../runner/status.ts';
import { withDatabase } from '../context.ts';
import { printResult, table, type GlobalOptions } from '../output.ts';

const fmt = (v: unknown, d = 3): string => {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v))) return fmt(Number(v), d); // numeric columns
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(d);
  return String(v ?? '');
};

export function register(program: Command): void {
  program
    .command('status')
    .description("the plan's daily metrics: features populated, partitions made, rows and time per partition, regression R^2 per window, errors, and each pipeline stage")
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean; databaseUrl?: string }) => {
      await withDatabase(o, async (db) => {
        const s = await status(db.pool);
        printResult(o, s, () => [
          `day: the 24 h from ${s.since}`,
          `features populated: ${s.features.populated} / ${s.features.total}` + (s.features.emptyColumns.length ? ` (empty: ${s.features.emptyColumns.slice(0, 8).map((c) => `${c.family}.${c.column}`).join(', ')}${s.features.emptyColumns.length > 8 ? ' ...' : ''})` : ''),
          `partitions: ${s.partitions.created} made / ${s.partitions.expected} the data's layout needs; ${s.partitions.avgRowsPerM1Partition ?? '-'} rows per m1 partition`,
          `units: ${s.runs.unitsOk} ok, ${s.runs.unitsFailed} failed, ${s.runs.unitsSkipped} skipped; ${s.runs.rows} rows; ${s.runs.secondsPerPartition === null ? '-' : s.runs.secondsPerPartition.toFixed(3)} s per partition`,
          ...(s.runs.recentErrors.length ? ['recent errors:', ...s.runs.recentErrors.map((e) => `  ${JSON.stringify(e)}`)] : []),
          '',
          'regression R^2 (the day):',
          table(s.r2.map((r) => ({ domain: r.domain, window: r.window, fits: r.fits, avg_r2: fmt(r.avgR2), share_above_0_7: fmt(r.shareAbove07) })), ['domain', 'window', 'fits', 'avg_r2', 'share_above_0_7']),
          '',
          'pipeline stages:',
          table(s.stages.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fmt(v, 1)]))),
            ['family', 'pairs_with_bars', 'pairs_current', 'newest_watermark', 'max_lag_minutes', 'pairs_dirty', 'pairs_in_backoff', 'last_status']),
        ].join('\n'));
      });
    });
}
