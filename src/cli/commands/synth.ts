import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parsePairList } from '../../features/pairs.ts';
import { synthToDatabase, synthToFile } from '../../synth/synthesize.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption, parseRange } from '../options.ts';
import { type GlobalOptions, printResult } from '../output.ts';
import { describeIngest } from './ingest.ts';
import { checkRangeWidth } from './partitions.ts';

interface SynthOpts extends GlobalOptions {
  pairs?: string;
  from?: string;
  to?: string;
  seed: string;
  out?: string;
  missingRate?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('generate a seeded synthetic market (28 consistent pairs) into the database, or with --out into a generic CSV file')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .requiredOption('--from <date>', 'first minute (UTC)')
    .requiredOption('--to <date>', 'end, exclusive (UTC)')
    .option('--seed <n>', 'random seed', '42')
    .option('--missing-rate <p>', 'probability a pair misses an open minute', '0.001')
    .option('--out <dir>', 'write DIR/synth_<from>_<to>_seed<N>.csv instead of loading the database')
    .option('--force', 'take a range wider than bqx.settings.max_range_months (36)')
    .option('--json', 'print the result as JSON')
    .action(async (o: SynthOpts) => {
      const range = parseRange(o.from, o.to);
      const opts = {
        seed: parseIntOption('--seed', o.seed),
        from: range.from,
        to: range.to,
        pairs: parsePairList(o.pairs),
        missingRate: Number(o.missingRate),
      };
      if (o.out) {
        await checkRangeWidth(null, 'synth', range, o.force);
        fs.mkdirSync(o.out, { recursive: true });
        const file = path.join(o.out, `synth_${o.from}_${o.to}_seed${opts.seed}.csv`.replace(/[:]/g, ''));
        const r = await synthToFile(file, opts);
        printResult(o, r, () => `wrote ${r.rows} bars to ${r.file}`);
        return;
      }
      await withDatabase(o, async (db) => {
        await checkRangeWidth(db.pool, 'synth', range, o.force);
        const r = await synthToDatabase(db.pool, opts);
        printResult(o, r, () => describeIngest(r));
      });
    });
}
