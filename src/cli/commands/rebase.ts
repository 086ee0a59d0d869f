import type { Command } from 'commander';
import { parsePairList } from '../../features/pairs.ts';
import { baselineMoves, rebasePairs } from '../../runner/rebase.ts';
import { refreshableFamilies } from '../../runner/refreshFamily.ts';
import { outcomeError, runAndCheck } from '../../runner/refreshUntilComplete.ts';
import { incrementalPlan } from '../../runner/runPairs.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption } from '../options.ts';
import { type GlobalOptions, printResult, table } from '../output.ts';
import { unitReporter } from '../unitReport.ts';

interface RebaseOpts extends GlobalOptions {
  pair?: string;
  pairs?: string;
  concurrency: string;
}

export function register(program: Command): void {
  program
    .command('rebase')
    .description(
      "move a pair's baseline B to the close of its first bar at or after the base instant (what an in-order load sets), rewrite its rate indices and recompute every family it reaches; `bqx status` lists the pairs whose baseline would move",
    )
    .option('--pair <p>', 'one pair (same as --pairs P)')
    .option('--pairs <list>', 'pairs, comma list or all (only those whose baseline would move are touched)', 'all')
    .option('--concurrency <n>', 'pairs refreshed at once, one connection each', '2')
    .option('--json', 'print the result as JSON')
    .action(async (o: RebaseOpts) => {
      const pairs = parsePairList(o.pair ?? o.pairs);
      const concurrency = parseIntOption('--concurrency', o.concurrency, 1);
      await withDatabase(
        o,
        async (db) => {
          const moves = (await baselineMoves(db.pool, pairs)).map((m) => m.pair);
          const rebased = await rebasePairs(db.pool, moves);
          const rep = unitReporter(o, 'rebase', null);
          const out = moves.length
            ? await runAndCheck(db.pool, moves, incrementalPlan(refreshableFamilies()), {
                concurrency,
                trigger: 'refresh',
                onUnit: rep.onUnit,
                checkCompleteness: true,
              })
            : { units: [], blocked: [], incomplete: [] };
          rep.stop();
          const err = outcomeError(out, 'rebase');
          if (!(o.json && err)) {
            printResult(o, { rebased, units: out.units.length }, () =>
              rebased.length
                ? `re-based and recomputed (${out.units.length} units):\n${table(
                    rebased.map((r) => ({ ...r })),
                    ['pair', 'oldTs', 'oldClose', 'newTs', 'newClose', 'barsReindexed'],
                  )}`
                : 'every baseline is where an in-order load puts it: nothing to re-base',
            );
          }
          if (err) throw err;
        },
        { maxConnections: concurrency + 1 },
      );
    });
}
