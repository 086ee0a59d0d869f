import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { parseFamilyList } from '../../features/catalog/index.ts';
import { parsePairList } from '../../features/pairs.ts';
import { refreshableFamilies } from '../../runner/refreshFamily.ts';
import { outcomeError, runAndCheck } from '../../runner/refreshUntilComplete.ts';
import { incrementalPlan, rangePlan } from '../../runner/runPairs.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption, parseRange } from '../options.ts';
import type { GlobalOptions } from '../output.ts';
import { printUnits, unitReporter } from '../unitReport.ts';

interface RefreshOpts extends GlobalOptions {
  family?: string;
  pair?: string;
  pairs?: string;
  from?: string;
  to?: string;
  concurrency: string;
}

/** The families a --family option names that can be refreshed, in dependency order; refuses the others. */
export function refreshFamilies(option: string | undefined): string[] {
  const requested = parseFamilyList(option ?? 'all').map((f) => f.family);
  const can = refreshableFamilies();
  if (option !== undefined && option !== 'all') {
    const cannot = requested.filter((f) => !can.includes(f) && f !== 'm1');
    if (cannot.length) throw new BqxError('BQX_USAGE', `no refresh for: ${cannot.join(', ')}`, { hint: `refreshable: ${can.join(', ')}` });
  }
  return can.filter((f) => requested.includes(f));
}

export function register(program: Command): void {
  program
    .command('refresh')
    .description('bring feature families up to date in dependency order: incrementally from the watermarks, or over [--from, --to)')
    .option('--family <f>', `family, comma list or all (refreshable: ${refreshableFamilies().join(', ')})`, 'all')
    .option('--pair <p>', 'one pair (same as --pairs P)')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .option('--from <date>', 'start (UTC); with --to, recompute exactly this range instead of what the watermarks say')
    .option('--to <date>', 'end, exclusive (UTC)')
    .option('--concurrency <n>', 'pairs refreshed at once, one connection each', '2')
    .option('--json', 'print the result as JSON')
    .action(async (o: RefreshOpts) => {
      if ((o.from === undefined) !== (o.to === undefined)) {
        throw new BqxError('BQX_USAGE', 'give both --from and --to, or neither (incremental)', {
          hint: 'e.g. --from 2024-07-01 --to 2024-08-01',
        });
      }
      const families = refreshFamilies(o.family);
      const pairs = parsePairList(o.pair ?? o.pairs);
      const concurrency = parseIntOption('--concurrency', o.concurrency, 1);
      const range = o.from !== undefined ? parseRange(o.from, o.to) : null;
      await withDatabase(
        o,
        async (db) => {
          const rep = unitReporter(o, 'refresh', range ? pairs.length * families.length : null);
          const plan = range ? rangePlan(families, range.from, range.to) : incrementalPlan(families);
          // incremental: then the completeness check, so "up to date" is said only when every bar has its rows
          const out = await runAndCheck(db.pool, pairs, plan, {
            concurrency,
            trigger: 'refresh',
            onUnit: rep.onUnit,
            checkCompleteness: !range,
          });
          rep.stop();
          const err = outcomeError(out, 'refresh');
          // with --json the error is the one document (its details list what did not complete)
          if (!(o.json && err) && (out.units.length || !err)) printUnits(o, out.units);
          if (err) throw err;
        },
        { maxConnections: concurrency + 1 },
      );
    });
}
