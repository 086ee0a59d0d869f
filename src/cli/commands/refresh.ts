import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { parseFamilyList } from '../../features/catalog/index.ts';
import { parsePairList } from '../../features/pairs.ts';
import { refreshAll, refreshableFamilies } from '../../runner/refreshFamily.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption, parseRange } from '../options.ts';
import { printResult, progress, table, type GlobalOptions } from '../output.ts';

interface RefreshOpts extends GlobalOptions {
  family?: string;
  pair?: string;
  pairs?: string;
  from?: string;
  to?: string;
  concurrency: string;
}

export function register(program: Command): void {
  program
    .command('refresh')
    .description('compute feature families in the database for [--from, --to), in dependency order')
    .option('--family <f>', `family, comma list or all (refreshable: ${refreshableFamilies().join(', ')})`, 'all')
    .option('--pair <p>', 'one pair (same as --pairs P)')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .requiredOption('--from <date>', 'start (UTC)')
    .requiredOption('--to <date>', 'end, exclusive (UTC)')
    .option('--concurrency <n>', 'pairs refreshed at once, one connection each', '2')
    .option('--json', 'print the result as JSON')
    .action(async (o: RefreshOpts) => {
      const range = parseRange(o.from, o.to);
      const requested = parseFamilyList(o.family).map((f) => f.family);
      const can = refreshableFamilies();
      if (o.family !== undefined && o.family !== 'all') {
        const cannot = requested.filter((f) => !can.includes(f) && f !== 'm1');
        if (cannot.length) {
          throw new BqxError('BQX_USAGE', `no refresh function yet for: ${cannot.join(', ')}`, { hint: `refreshable today: ${can.join(', ')}` });
        }
      }
      const pairs = parsePairList(o.pair ?? o.pairs);
      const concurrency = parseIntOption('--concurrency', o.concurrency, 1);
      await withDatabase(o, async (db) => {
        const units = pairs.length * requested.filter((f) => can.includes(f)).length;
        const bar = progress(o, 'refresh', units, 'units');
        let done = 0;
        const res = await refreshAll(db.pool, requested, pairs, range, () => bar.update(++done), concurrency);
        bar.stop();
        printResult(o, res, () =>
          table(res.map((r) => ({ ...r, seconds: r.seconds.toFixed(2), rows_per_s: Math.round(r.rows / Math.max(r.seconds, 1e-9)) })), ['family', 'pair', 'rows', 'seconds', 'rows_per_s']),
        );
      }, { maxConnections: concurrency + 1 });
    });
}
