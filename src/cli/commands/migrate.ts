import type { Command } from 'commander';
import { migrate, migrateDown } from '../../db/migrate.ts';
import { withDatabase } from '../context.ts';
import { printResult, type GlobalOptions } from '../output.ts';
import { parseIntOption } from '../options.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply migrations, then re-apply sql/ (functions, partitions, views) and sync the feature catalog; idempotent')
    .option('--down [count]', 'revert migrations instead (all by default): drops schema bqx and everything in it')
    .option('--json', 'print the result as JSON')
    .action(async (o: GlobalOptions & { down?: string | boolean }) =>
      withDatabase(o, async (db) => {
        if (o.down !== undefined) {
          const count = o.down === true ? undefined : parseIntOption('--down', String(o.down), 1);
          const reverted = await migrateDown(db.pool, count);
          printResult(o, { reverted }, () => (reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert'));
          return;
        }
        const r = await migrate(db.pool);
        printResult(o, r, () =>
          [
            r.migrations.length ? `migrations applied: ${r.migrations.join(', ')}` : 'migrations: up to date',
            `sql/ files applied: ${r.sqlApplied.length} (unchanged: ${r.sqlUnchanged})`,
            `feature catalog rows changed: ${r.catalogRowsChanged}`,
            `holiday calendar rows changed: ${r.holidaysChanged}`,
          ].join('\n'),
        );
      }, { requireSchema: false }),
    );
}
