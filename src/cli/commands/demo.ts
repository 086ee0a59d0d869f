import type { Command } from 'commander';
import { parsePairList } from '../../features/pairs.ts';
import { runDemo, type DemoReport } from '../../demo/runDemo.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption, parseRange } from '../options.ts';
import { printResult, progress, table, type GlobalOptions } from '../output.ts';
import { datasetSummary } from '../datasetSummary.ts';
import { DATASET_DEFAULTS } from '../../pipeline/buildDatasetFiles.ts';

interface DemoOpts extends GlobalOptions {
  pairs?: string;
  from?: string;
  to?: string;
  seed: string;
  out?: string;
  datasetOut: string;
  trees: string;
  selectRows: string;
}

function describe(r: DemoReport): string {
  const total = r.rowsPerPair.reduce((n, p) => n + p.rows, 0);
  return [
    `migrate: ${r.migrate.migrations.length} migration(s), ${r.migrate.sqlApplied.length} sql/ file(s) applied (${r.seconds.migrate.toFixed(1)} s)`,
    `synth:   ${r.csv.rows} bars -> ${r.csv.file} (${r.seconds.synth.toFixed(1)} s)`,
    `ingest:  inserted ${r.ingest.inserted}, unchanged ${r.ingest.unchanged}, rejected ${r.ingest.rejected}, ` +
      `${r.ingest.partitionsCreated} partitions created (${r.seconds.ingest.toFixed(1)} s, ${Math.round(r.ingest.rowsRead / Math.max(r.seconds.ingest, 1e-9))} rows/s)`,
    `tables:  ${r.tables.family_tables} family tables, ${r.tables.pair_tables} pair tables, ${r.tables.month_partitions} monthly partitions, ${r.tables.other_tables} other`,
    '',
    table(
      r.rowsPerPair.map((p) => ({ pair: p.pair, rows: p.rows, first: p.first_ts.toISOString().slice(0, 16), last: p.last_ts.toISOString().slice(0, 16), rate_index: p.indexed, bid_ask: p.with_bid_ask })),
      ['pair', 'rows', 'first', 'last', 'rate_index', 'bid_ask'],
    ),
    '',
    `computed (${r.seconds.refresh.toFixed(1)} s wall; the SQL families in PostgreSQL, technical_* in TypeScript):`,
    table(r.refresh.map((f) => ({ family: f.family, pairs: f.pairs, rows: f.rows, seconds: f.seconds.toFixed(1), rows_per_s: Math.round(f.rows / Math.max(f.seconds, 1e-9)) })),
      ['family', 'pairs', 'rows', 'seconds', 'rows_per_s']),
    '',
    'regression fits with R^2 > 0.7 (plan criterion: a majority):',
    table(r.regR2.map((x) => ({ domain: x.domain, window: x.window_name, fits: x.fits, mean_r2: x.avg_r2?.toFixed(3), share_above_0_7: x.share_r2_above_0_7?.toFixed(3) })),
      ['domain', 'window', 'fits', 'mean_r2', 'share_above_0_7']),
    '',
    datasetSummary(r.dataset),
    '',
    `${r.rowsPerPair.length} pairs, ${total} bars in bqx.m1; done in ${r.seconds.total.toFixed(1)} s (dataset ${r.seconds.dataset.toFixed(1)} s)`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('end to end on synthetic data: migrate, synthesize a month for the 28 pairs, ingest it, compute every family, build a dataset, summarise')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .option('--from <date>', 'first minute (UTC)', '2024-07-01')
    .option('--to <date>', 'end, exclusive (UTC)', '2024-08-01')
    .option('--seed <n>', 'random seed', '42')
    .option('--out <dir>', 'where the synthetic CSV goes (default: a temp dir)')
    .option('--dataset-out <dir>', 'where the dataset build writes (a previous demo dataset there is replaced)', 'out/demo-dataset')
    .option('--trees <n>', 'trees of the selection forest', '100')
    .option('--select-rows <n>', 'train rows the forest is fit on (the demo samples fewer than bqx dataset build)', '100000')
    .option('--json', 'print the result as JSON')
    .action(async (o: DemoOpts) => {
      const range = parseRange(o.from, o.to);
      await withDatabase(o, async (db) => {
        if (!o.json) process.stderr.write(`database: ${db.embedded ? 'embedded PostgreSQL, database bqx_demo made anew (no DATABASE_URL given)' : db.url.replace(/:[^:@/]*@/, ':***@')}\n`);
        let bar: ReturnType<typeof progress> | null = null;
        const r = await runDemo(db.pool, {
          pairs: parsePairList(o.pairs), from: range.from, to: range.to, seed: parseIntOption('--seed', o.seed), outDir: o.out,
          onStep: (s) => { bar?.stop(); bar = null; if (!o.json) process.stderr.write(`- ${s}\n`); },
          onIngestProgress: (n, total) => { bar ??= progress(o, 'ingest', total); bar.update(n); },
          onRefreshUnit: (n, total) => { bar ??= progress(o, 'refresh', total, 'units'); bar.update(n); },
          dataset: {
            ...DATASET_DEFAULTS, out: o.datasetOut, seed: parseIntOption('--seed', o.seed),
            trees: parseIntOption('--trees', o.trees, 2), selectRows: parseIntOption('--select-rows', o.selectRows, 100),
            onPair: (p, n, total) => { bar ??= progress(o, 'dataset', total, 'pairs'); bar.update(n); },
          },
        });
        (bar as ReturnType<typeof progress> | null)?.stop();
        const d = r.dataset;
        printResult(o, { ...r, dataset: { out: d.out, rows: d.manifest.rows, cuts: d.manifest.split, selected: d.selection.selected, stability: d.selection.stability, baseline: d.baseline.horizons, seconds: d.seconds } }, () => describe(r));
      // On the embedded default the demo has its own database, made anew each run, so a demo never meets
      // bars an older version synthesized differently; with DATABASE_URL it uses that database as it is.
      }, { requireSchema: false, maxConnections: 3, embeddedDatabase: 'bqx_demo', recreateEmbedded: true });
    });
}
