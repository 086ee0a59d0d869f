import fs from 'node:fs';
import type { Command } from 'commander';
import { Cron } from 'croner';
import { BqxError } from '../../db/errors.ts';
import { parsePairList } from '../../features/pairs.ts';
import { markIncomplete } from '../../runner/refreshUntilComplete.ts';
import { runnerTick } from '../../runner/runnerTick.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption } from '../options.ts';
import type { GlobalOptions } from '../output.ts';
import { refreshFamilies } from './refresh.ts';

interface RunnerOpts extends GlobalOptions {
  schedule: string;
  watch?: string;
  command?: string;
  pairs: string;
  family?: string;
  concurrency: string;
  once?: boolean;
}

const log = (e: Record<string, unknown>) => process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), ...e }) + '\n');

export function register(program: Command): void {
  program
    .command('runner')
    .description(
      'keep every pair fresh on a schedule: ingest new bars (--watch DIR or --command CMD), refresh what changed, premake partitions, apply retention. SIGTERM/SIGINT finish the unit in flight and exit 0',
    )
    .option('--schedule <cron>', 'cron expression, UTC (5 fields, or 6 with seconds)', '*/5 * * * *')
    .option('--watch <dir>', 'directory whose new files (any format bqx ingest reads) are ingested each tick')
    .option('--command <cmd>', 'shell command whose stdout (bars, any ingest format) is ingested each tick')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .option('--family <f>', 'families to keep fresh, comma list or all', 'all')
    .option('--concurrency <n>', 'pairs refreshed at once, one connection each', '2')
    .option('--once', 'run one tick now and exit (for cron or systemd timers)')
    .action(async (o: RunnerOpts) => {
      if (o.watch && o.command) throw new BqxError('BQX_USAGE', 'give --watch or --command, not both');
      if (o.watch && !fs.existsSync(o.watch))
        throw new BqxError('BQX_USAGE', `--watch ${o.watch}: no such directory`, {
          hint: 'create it, or point at the directory your feed writes to',
        });
      const pairs = parsePairList(o.pairs);
      const families = refreshFamilies(o.family);
      const concurrency = parseIntOption('--concurrency', o.concurrency, 1);
      let stopping = false;
      await withDatabase(
        o,
        async (db) => {
          // once per start: months whose bars lack rows (a store from before dirty spans, rows deleted by
          // hand) become dirty spans, so the ticks compute them; per tick this would count every table
          const holes = await markIncomplete(db.pool, pairs, families);
          if (holes) log({ event: 'incomplete', months: holes, note: 'bars without feature rows: planned for the next tick' });
          const tick = () =>
            runnerTick(db.pool, { pairs, families, concurrency, watchDir: o.watch, command: o.command, log, shouldStop: () => stopping });
          if (o.once) {
            await tick();
            return;
          }
          let job: Cron | undefined;
          let running: Promise<void> = Promise.resolve();
          const done = new Promise<void>((resolve) => {
            const stop = (signal: string) => {
              if (stopping) return;
              stopping = true;
              log({ event: 'stopping', signal, note: 'finishing the unit in flight' });
              job?.stop();
              void running.finally(() => resolve());
            };
            process.once('SIGTERM', () => stop('SIGTERM'));
            process.once('SIGINT', () => stop('SIGINT'));
          });
          // protect: a tick still running when the next is due is not started twice
          job = new Cron(o.schedule, { timezone: 'UTC', protect: true }, () => {
            running = tick().then(
              () => undefined,
              (err) => {
                log({ event: 'tick_failed', error: (err as Error).message });
              },
            );
            return running;
          });
          log({
            event: 'started',
            schedule: o.schedule,
            next: job.nextRun()?.toISOString(),
            pairs: pairs.length,
            families: families.length,
          });
          await done;
          log({ event: 'stopped' });
        },
        { maxConnections: concurrency + 1 },
      );
    });
}
