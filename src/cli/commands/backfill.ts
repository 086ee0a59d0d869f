import type { Command } from 'commander';
import { parsePairList } from '../../features/pairs.ts';
import { BackfillRange } from '../../runner/BackfillRange.ts';
import { monthChunks } from '../../runner/monthChunks.ts';
import { refreshableFamilies } from '../../runner/refreshFamily.ts';
import { outcomeError, type RunOutcome, runAndCheck } from '../../runner/refreshUntilComplete.ts';
import { rangePlan } from '../../runner/runPairs.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption, parseRange } from '../options.ts';
import type { GlobalOptions } from '../output.ts';
import { printUnits, unitReporter } from '../unitReport.ts';
import { refreshFamilies } from './refresh.ts';

interface BackfillOpts extends GlobalOptions {
  family?: string;
  pair?: string;
  pairs?: string;
  from: string;
  to: string;
  concurrency: string;
}

export function register(program: Command): void {
  program
    .command('backfill')
    .description(
      'compute every family over [--from, --to) for many pairs in parallel (a worker per pair, one connection each); safe to kill and rerun',
    )
    .requiredOption('--from <date>', 'start (UTC)')
    .requiredOption('--to <date>', 'end, exclusive (UTC)')
    .option('--pair <p>', 'one pair (same as --pairs P)')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .option('--family <f>', `family, comma list or all (refreshable: ${refreshableFamilies().join(', ')})`, 'all')
    .option('--concurrency <n>', 'workers (pairs at once); capped by the connections the server has free', '2')
    .option('--json', 'print the result as JSON')
    .action(async (o: BackfillOpts) => {
      const range = parseRange(o.from, o.to);
      const families = refreshFamilies(o.family);
      const pairs = parsePairList(o.pair ?? o.pairs);
      const concurrency = parseIntOption('--concurrency', o.concurrency, 1);
      await withDatabase(
        o,
        async (db) => {
          // month by month (monthChunks: a unit's memory is then a month's, whatever the range); a month
          // that did not complete stops the run, as the next ones read its rows as their lookback
          const chunks = monthChunks(range.from, range.to);
          // the dirty spans a month's units may take along (a span's reach crosses months)
          const whole = new BackfillRange(range.from, range.to);
          const rep = unitReporter(o, 'backfill', pairs.length * families.length * chunks.length);
          const out: RunOutcome = { units: [], blocked: [], incomplete: null };
          for (const [from, to] of chunks) {
            const month = await runAndCheck(db.pool, pairs, rangePlan(families, from, to, whole), {
              concurrency,
              trigger: 'backfill',
              onUnit: rep.onUnit,
              checkCompleteness: false,
            });
            out.units.push(...month.units);
            out.blocked.push(...month.blocked);
            if (outcomeError(month, 'backfill')) break;
          }
          rep.stop();
          const err = outcomeError(out, 'backfill');
          // with --json the error is the one document (its details list what did not complete)
          if (!(o.json && err)) printUnits(o, out.units);
          if (err) throw err;
        },
        { maxConnections: concurrency + 1 },
      );
    });
}
