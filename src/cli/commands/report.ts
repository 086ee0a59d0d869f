import type { Command } from 'commander';
import { writeDashboard } from '../../monitor/dashboard.ts';
import { withDatabase } from '../context.ts';
import { type GlobalOptions, printResult } from '../output.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'a static HTML dashboard of the store in --out DIR (index.html, dashboard.json; no server): freshness, completeness, NULL shares, drift heatmap, refresh history',
    )
    .requiredOption('--out <dir>', 'directory to write (made if absent; its index.html and dashboard.json are replaced)')
    .option('--json', 'print the dashboard data as JSON')
    .action(async (o: GlobalOptions & { out: string }) => {
      await withDatabase(o, async (db) => {
        const r = await writeDashboard(db.pool, o.out);
        printResult(
          o,
          { index: r.index, ...r.data },
          () =>
            `dashboard: ${r.index} (${r.data.freshness.length} pairs, ${new Set(r.data.completeness.map((c) => c.family)).size} families, ${r.data.runs.length} days of refresh history)`,
        );
      });
    });
}
