import type { Command } from 'commander';
import { CARRY_MINUTES } from '../../features/catalog/currencyStrength.ts';
import { formatMonitorStatus } from '../../monitor/monitorStatus.ts';
import { status } from '../../runner/status.ts';
import { withDatabase } from '../context.ts';
import { printResult, table } from '../output.ts';

const fmt = (v: unknown, d = 3): string => {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v))) return fmt(Number(v), d); // numeric columns
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(d);
  return String(v ?? '');
};

export function register(program: Command): void {
  program
    .command('status')
    .description(
      "the plan's daily metrics: features populated, partitions made, rows and time per partition, regression R^2 per window, errors, and each pipeline stage",
    )
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean; databaseUrl?: string }) => {
      await withDatabase(o, async (db) => {
        const s = await status(db.pool);
        printResult(o, s, () =>
          [
            `day: the 24 h from ${s.since}`,
            s.completeness.complete
              ? 'feature rows: complete (every bar has its row in every family)'
              : `feature rows: INCOMPLETE: ${s.completeness.missingBars} bar-rows missing in ${s.completeness.incomplete.length} (pair, family, month)(s); run bqx refresh\n` +
                table(
                  s.completeness.incomplete.slice(0, 20).map((i) => ({ ...i })),
                  ['pair', 'family', 'month', 'm1_rows', 'feature_rows', 'missing'],
                ) +
                (s.completeness.incomplete.length > 20
                  ? `\n  ... and ${s.completeness.incomplete.length - 20} more (--json lists all)`
                  : ''),
            s.stale.length
              ? `definitions: STALE: ${s.stale.reduce((n, x) => n + x.rows, 0)} rows in ${s.stale.length} (pair, family, month)(s) were computed under an older definition; run bqx refresh\n` +
                table(
                  s.stale.slice(0, 20).map((x) => ({ ...x })),
                  ['pair', 'family', 'month', 'rows', 'computedWith', 'current'],
                ) +
                (s.stale.length > 20 ? `\n  ... and ${s.stale.length - 20} more (--json lists all)` : '')
              : "definitions: every row was computed with its family's current definition",
            ...(s.dirty.length
              ? [
                  `dirty spans waiting for a refresh: ${s.dirty.map((d) => `${d.family} ${d.spans} (${d.pairs} pairs, from ${fmt(d.earliest)})`).join(', ')}`,
                ]
              : []),
            `cross-section: computable through ${s.crossSection.horizon ? fmt(s.crossSection.horizon) : '-'}${s.crossSection.heldBy ? ` (held there by ${s.crossSection.heldBy}` : ''}${s.crossSection.heldBy && s.crossSection.pairsBehind ? `; ${s.crossSection.pairsBehind} pair(s) more than ${CARRY_MINUTES} min behind the newest bar hold nothing back)` : s.crossSection.heldBy ? ')' : ''}; ${s.crossSection.families
              .map(
                (f) =>
                  `${f.family} through ${f.watermark ? fmt(f.watermark) : 'never computed'}${f.dirty_spans ? `, ${f.dirty_spans} dirty span(s) from ${fmt(f.dirty_from!)}` : ''}${f.retry_at ? `, in backoff until ${fmt(f.retry_at)} (${f.failures} failure(s))` : ''}`,
              )
              .join('; ')}`,
            ...(s.baselines.wouldMove.length
              ? [
                  `baselines that would move (a late bar precedes the bar B came from; B stays fixed until \`bqx rebase --pairs ${s.baselines.wouldMove.map((m) => m.pair).join(',')}\`):`,
                  table(
                    s.baselines.wouldMove.map((m) => ({
                      pair: m.pair,
                      base_ts: fmt(m.base_ts),
                      base_close: m.base_close,
                      new_base_ts: fmt(m.new_base_ts),
                      new_base_close: m.new_base_close,
                    })),
                    ['pair', 'base_ts', 'base_close', 'new_base_ts', 'new_base_close'],
                  ),
                ]
              : ['baselines: every B is where an in-order load puts it']),
            `features populated: ${s.features.populated} / ${s.features.total}` +
              (s.features.emptyColumns.length
                ? ` (empty: ${s.features.emptyColumns
                    .slice(0, 8)
                    .map((c) => `${c.family}.${c.column}`)
                    .join(', ')}${s.features.emptyColumns.length > 8 ? ' ...' : ''})`
                : ''),
            `partitions: ${s.partitions.created} made / ${s.partitions.expected} the data's layout needs; ${s.partitions.avgRowsPerM1Partition ?? '-'} rows per m1 partition`,
            `units: ${s.runs.unitsOk} ok, ${s.runs.unitsFailed} failed, ${s.runs.unitsSkipped} skipped; ${s.runs.rows} rows; ${s.runs.secondsPerPartition === null ? '-' : s.runs.secondsPerPartition.toFixed(3)} s per partition`,
            ...(s.runs.recentErrors.length ? ['recent errors:', ...s.runs.recentErrors.map((e) => `  ${JSON.stringify(e)}`)] : []),
            '',
            'regression R^2 (the day):',
            table(
              s.r2.map((r) => ({
                domain: r.domain,
                window: r.window,
                fits: r.fits,
                avg_r2: fmt(r.avgR2),
                share_above_0_7: fmt(r.shareAbove07),
              })),
              ['domain', 'window', 'fits', 'avg_r2', 'share_above_0_7'],
            ),
            '',
            'pipeline stages:',
            table(
              s.stages.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fmt(v, 1)]))),
              [
                'family',
                'pairs_with_bars',
                'pairs_current',
                'newest_watermark',
                'max_lag_minutes',
                'pairs_dirty',
                'pairs_in_backoff',
                'last_status',
              ],
            ),
            ...formatMonitorStatus(s.monitoring),
          ].join('\n'),
        );
      });
    });
}
