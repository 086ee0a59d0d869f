import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { FORMATS } from '../../ingest/detectFormat.ts';
import { type IngestReport, ingestSource } from '../../ingest/ingest.ts';
import { openSource } from '../../ingest/openSource.ts';
import { withDatabase } from '../context.ts';
import { type GlobalOptions, printResult, progress } from '../output.ts';

interface IngestOpts extends GlobalOptions {
  format?: string;
  pair?: string;
  rejectFile?: string;
}

export function describeIngest(r: IngestReport): string {
  return [
    `${r.source} (${r.format}): read ${r.rowsRead}, inserted ${r.inserted}, unchanged ${r.unchanged}, rejected ${r.rejected}` +
      (r.incomplete ? `, incomplete candles skipped ${r.incomplete}` : ''),
    `  partitions created ${r.partitionsCreated}; baselines established: ${r.baselinesEstablished.join(' ') || 'none'}; ${r.seconds.toFixed(2)} s`,
    ...(r.rejectFile ? [`  rejected rows written to ${r.rejectFile}`] : []),
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('load 1-minute bars: generic CSV, OANDA v20 candles JSON, HistData M1 ASCII or Dukascopy CSV (detected)')
    .argument('<files...>', 'files to ingest, each in its own transaction')
    .option('--format <f>', `force the format (${FORMATS.join('|')})`)
    .option('--pair <p>', 'the pair, for formats that do not name it inside')
    .option('--reject-file <file>', 'write invalid or conflicting rows here (line, reason, raw) and load the rest')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], o: IngestOpts) => {
      if (o.rejectFile && files.length > 1) {
        throw new BqxError('BQX_USAGE', '--reject-file takes one input file at a time', {
          hint: 'run bqx ingest once per file when you keep rejects',
        });
      }
      await withDatabase(o, async (db) => {
        const reports: IngestReport[] = [];
        for (const file of files) {
          const bar = progress(o, 'ingest', 0);
          try {
            reports.push(
              await ingestSource(db.pool, openSource(file, { format: o.format, pair: o.pair }), {
                rejectFile: o.rejectFile,
                onProgress: (n) => bar.update(n),
              }),
            );
          } finally {
            bar.stop();
          }
        }
        printResult(o, reports.length === 1 ? reports[0] : reports, () => reports.map(describeIngest).join('\n'));
      });
    });
}
