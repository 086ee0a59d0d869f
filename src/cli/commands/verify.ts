import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { verify } from '../../verify/verify.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption } from '../options.ts';
import { printResult, table, type GlobalOptions } from '../output.ts';

export function register(program: Command): void {
  program
    .command('verify')
    .description('is the store healthy: sql/checks (rows = violations), missing shares after warm-up, the regression criterion, causality spot checks. Exit 8 on any failure, with the failing rows')
    .option('--samples <n>', 'bars sampled for the causality spot checks', '12')
    .option('--seed <n>', 'seed of the sampling', '1')
    .option('--json', 'print the result as JSON')
    .action(async (o: GlobalOptions & { samples: string; seed: string }) => {
      await withDatabase(o, async (db) => {
        const r = await verify(db.pool, { samples: parseIntOption('--samples', o.samples, 0), seed: parseIntOption('--seed', o.seed, 0) });
        printResult(o, r, () => [
          table(r.checks.map((c) => ({ check: c.check, result: c.ok ? 'pass' : 'FAIL', violations: c.violations, note: c.note ?? '' })), ['check', 'result', 'violations', 'note']),
          ...r.checks.filter((c) => !c.ok).flatMap((c) => [``, `${c.check}: ${c.violations} violation(s), first ones:`, ...c.rows.slice(0, 10).map((x) => `  ${JSON.stringify(x)}`)]),
        ].join('\n'));
        if (!r.ok) {
          const failed = r.checks.filter((c) => !c.ok).map((c) => c.check);
          const e = new BqxError('BQX_VERIFY', `verify failed: ${failed.join(', ')}`, { hint: 'the failing rows are listed above' });
          if (!o.json) process.stderr.write(`bqx: ${e.code}: ${e.message}\nhint: ${e.hint}\n`);
          process.exitCode = 8;
        }
      });
    });
}
