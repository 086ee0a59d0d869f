import type { Command } from 'commander';
import { type DemoReport, runDemo } from '../../demo/runDemo.ts';
import { parsePairList } from '../../features/pairs.ts';
import { DATASET_DEFAULTS } from '../../pipeline/buildDatasetFiles.ts';
import { withDatabase } from '../context.ts';
import { datasetSummary } from '../datasetSummary.ts';
import { parseIntOption, parseRange } from '../options.ts';
import { type GlobalOptions, printResult, stepLog, table } from '../output.ts';
import { connectionHelp, maskUrl } from '../reach.ts';

interface DemoOpts extends GlobalOptions {
  pairs?: string;
  from?: string;
  to?: string;
  seed: string;
  out?: string;
  datasetOut: string;
  trees?: string;
  selectRows?: string;
  quick?: boolean;
  fresh?: boolean;
}

/** The whole job (a month of the 28 pairs), and --quick: a first look at every family in about a minute. */
export const DEMO_PRESETS = {
  full: {
    pairs: 'all',
    from: '2024-07-01',
    to: '2024-08-01',
    trees: '100',
    selectRows: '100000',
    permutationRows: DATASET_DEFAULTS.permutationRows,
    fitRows: DATASET_DEFAULTS.fitRows,
  },
  quick: {
    pairs: 'eurusd,usdjpy,eurjpy',
    from: '2024-07-01',
    to: '2024-07-04',
    trees: '12',
    selectRows: '5000',
    permutationRows: 2000,
    fitRows: 20_000,
  },
} as const;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

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
      r.rowsPerPair.map((p) => ({
        pair: p.pair,
        rows: p.rows,
        first: p.first_ts.toISOString().slice(0, 16),
        last: p.last_ts.toISOString().slice(0, 16),
        rate_index: p.indexed,
        bid_ask: p.with_bid_ask,
      })),
      ['pair', 'rows', 'first', 'last', 'rate_index', 'bid_ask'],
    ),
    '',
    `computed (${r.seconds.refresh.toFixed(1)} s wall; the SQL families in PostgreSQL, technical_* in TypeScript):`,
    table(
      r.refresh.map((f) => ({
        family: f.family,
        pairs: f.pairs,
        rows: f.rows,
        seconds: f.seconds.toFixed(1),
        rows_per_s: Math.round(f.rows / Math.max(f.seconds, 1e-9)),
      })),
      ['family', 'pairs', 'rows', 'seconds', 'rows_per_s'],
    ),
    '',
    'regression fits with R^2 > 0.7 (plan criterion: a majority):',
    table(
      r.regR2.map((x) => ({
        domain: x.domain,
        window: x.window_name,
        fits: x.fits,
        mean_r2: x.avg_r2?.toFixed(3),
        share_above_0_7: x.share_r2_above_0_7?.toFixed(3),
      })),
      ['domain', 'window', 'fits', 'mean_r2', 'share_above_0_7'],
    ),
    '',
    datasetSummary(r.dataset),
    '',
    `${r.rowsPerPair.length} pairs, ${total} bars in bqx.m1; done in ${r.seconds.total.toFixed(1)} s (dataset ${r.seconds.dataset.toFixed(1)} s)`,
    `disk: database ${mib(r.disk.databaseBytes)}, dataset ${mib(r.disk.datasetBytes)}; the ${mib(r.csv.bytes)} CSV ${r.csv.kept ? `is kept in ${r.csv.file}` : 'was temporary and is deleted'}`,
  ].join('\n');
}

export function register(program: Command): void {
  const full = DEMO_PRESETS.full;
  const quick = DEMO_PRESETS.quick;
  program
    .command('demo')
    .description(
      'end to end on synthetic data: migrate, synthesize a month for the 28 pairs, ingest it, compute every family, build a dataset, summarise. ' +
        'Without DATABASE_URL it builds the embedded database bqx, which every other bqx command then finds',
    )
    .option(
      '--quick',
      `a first look in about a minute: ${quick.pairs}, ${quick.from} to ${quick.to}, every family, a small dataset (${quick.trees} trees)`,
    )
    .option('--pairs <list>', `pairs, comma list or all (default: ${full.pairs}; --quick: ${quick.pairs})`)
    .option('--from <date>', `first minute (UTC) (default: ${full.from})`)
    .option('--to <date>', `end, exclusive (UTC) (default: ${full.to}; --quick: ${quick.to})`)
    .option('--seed <n>', 'random seed', '42')
    .option('--out <dir>', 'keep the synthetic CSV in this directory (default: a temp dir, deleted at the end)')
    .option('--dataset-out <dir>', 'where the dataset build writes (a previous demo dataset there is replaced)', 'out/demo-dataset')
    .option('--trees <n>', `trees of the selection forest (default: ${full.trees}; --quick: ${quick.trees})`)
    .option('--select-rows <n>', `train rows the forest is fit on (default: ${full.selectRows}; --quick: ${quick.selectRows})`)
    .option('--fresh', 'on the embedded server: replace database bqx even when no demo made it')
    .option('--json', 'print the result as JSON (progress as JSON lines on stderr)')
    .action(async (o: DemoOpts) => {
      const preset = o.quick ? quick : full;
      const range = parseRange(o.from ?? preset.from, o.to ?? preset.to);
      const pairs = parsePairList(o.pairs ?? preset.pairs);
      const seed = parseIntOption('--seed', o.seed);
      const trees = parseIntOption('--trees', o.trees ?? preset.trees, 2);
      const selectRows = parseIntOption('--select-rows', o.selectRows ?? preset.selectRows, 100);
      await withDatabase(
        o,
        async (db) => {
          const log = stepLog(o);
          if (!o.json)
            process.stderr.write(
              `database: ${db.embedded ? 'embedded PostgreSQL, database bqx (no DATABASE_URL given); a previous demo store there is replaced' : maskUrl(db.url)}\n`,
            );
          let r: DemoReport;
          try {
            r = await runDemo(db.pool, {
              pairs,
              from: range.from,
              to: range.to,
              seed,
              outDir: o.out,
              onStep: (s) => log.step(s),
              onSynthRows: (n) => log.bar('synth', 0, 'bars').update(n),
              onIngestProgress: (n, total) => log.bar('ingest', total).update(n),
              onRefreshUnit: (n, total) => log.bar('refresh', total, 'units').update(n),
              onDatasetStage: (s) => log.step(`dataset: ${s}`),
              dataset: {
                ...DATASET_DEFAULTS,
                out: o.datasetOut,
                seed,
                trees,
                selectRows,
                permutationRows: preset.permutationRows,
                fitRows: preset.fitRows,
                onPair: (_p, n, total) => log.bar('dataset', total, 'pairs').update(n),
              },
            });
          } finally {
            log.stop();
          }
          const d = r.dataset;
          printResult(
            o,
            {
              ...r,
              dataset: {
                out: d.out,
                rows: d.manifest.rows,
                cuts: d.manifest.split,
                selected: d.selection.selected,
                stability: d.selection.stability,
                baseline: d.baseline.horizons,
                seconds: d.seconds,
                files: d.manifest.files.length,
              },
              store: { url: db.embedded ? db.url : maskUrl(db.url), embedded: db.embedded },
            },
            () => `${describe(r)}\n\n${connectionHelp(db.url, db.embedded)}`,
          );
          // On the embedded default the demo replaces database bqx when a previous demo made it (or it holds no
          // store), so a demo never meets bars an older version synthesized differently, and refuses to replace
          // anything else without --fresh; with DATABASE_URL it uses that database as it is.
        },
        { requireSchema: false, maxConnections: 3, embeddedDatabase: 'bqx', recreateEmbedded: o.fresh ? 'always' : 'demo' },
      );
    });
}
