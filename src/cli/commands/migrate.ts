import type { Command } from 'commander';
import { migrate, migrateDown } from '../../db/migrate.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption } from '../options.ts';
import { type GlobalOptions, printResult } from '../output.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply migrations, then re-apply sql/ (functions, partitions, views) and sync the feature catalog; idempotent')
    .option('--down [count]', 'revert migrations instead (all by default): drops schema bqx and everything in it')
    .option(
      '--lock-timeout <ms>',
      'how long each lock-taking step (ALTER TABLE, view re-creation) waits for a lock before it rolls back and retries, so readers never queue behind it for longer (default 1000)',
    )
    .option('--lock-attempts <n>', 'attempts per step before giving up with BQX_LOCKED (default 10)')
    .option('--json', 'print the result as JSON')
    .action(async (o: GlobalOptions & { down?: string | boolean; lockTimeout?: string; lockAttempts?: string }) =>
      withDatabase(
        o,
        async (db) => {
          if (o.down !== undefined) {
            const count = o.down === true ? undefined : parseIntOption('--down', String(o.down), 1);
            const reverted = await migrateDown(db.pool, count);
            printResult(o, { reverted }, () => (reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert'));
            return;
          }
          const r = await migrate(db.pool, {
            lockTimeoutMs: o.lockTimeout === undefined ? undefined : parseIntOption('--lock-timeout', o.lockTimeout, 1),
            attempts: o.lockAttempts === undefined ? undefined : parseIntOption('--lock-attempts', o.lockAttempts, 1),
            onRetry: (attempt, err) =>
              process.stderr.write(`bqx migrate: lock wait timed out (attempt ${attempt}: ${err.message}); retrying\n`),
          });
          printResult(o, r, () =>
            [
              r.migrations.length ? `migrations applied: ${r.migrations.join(', ')}` : 'migrations: up to date',
              `sql/ files applied: ${r.sqlApplied.length} (unchanged: ${r.sqlUnchanged})`,
              ...(r.sqlDropped.length ? [`dropped (stale overloads, deleted sql/ files): ${r.sqlDropped.join(', ')}`] : []),
              `feature catalog rows changed: ${r.catalogRowsChanged}`,
              `holiday calendar rows changed: ${r.holidaysChanged}`,
            ].join('\n'),
          );
        },
        { requireSchema: false },
      ),
    );
}
