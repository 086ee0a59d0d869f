import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { parsePairList } from '../../features/pairs.ts';
import { buildDatasetFiles, CHUNK_VALUES, DATASET_DEFAULTS } from '../../pipeline/buildDatasetFiles.ts';
import { DEFAULT_HORIZONS, DEFAULT_LAGS, parseIntList } from '../../pipeline/featureSet.ts';
import { readSpineInfo, spineRange } from '../../pipeline/spine.ts';
import { withDatabase } from '../context.ts';
import { datasetSummary } from '../datasetSummary.ts';
import { parseIntOption, parseRange } from '../options.ts';
import { type GlobalOptions, printResult } from '../output.ts';

interface BuildOpts extends GlobalOptions {
  pair?: string;
  allowStale?: boolean;
  pairs: string;
  from?: string;
  to?: string;
  features: string;
  lags?: string;
  horizons?: string;
  top: string;
  trees: string;
  depth: string;
  seed: string;
  concurrency: string;
  out: string;
  maxMissing: string;
  maxGap: string;
  selectRows: string;
  permutationRows: string;
  fitRows: string;
  chunkBars?: string;
  selectHorizon?: string;
  spine?: string;
}

function parseShare(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1)
    throw new BqxError('BQX_USAGE', `${flag} ${JSON.stringify(v)} is not a share in (0, 1]`, { hint: `e.g. ${flag} 0.01 (1%)` });
  return n;
}

export function register(program: Command): void {
  const dataset = program
    .command('dataset')
    .description('leak-free train/validation/test datasets: extract, validate, lag, split, select, baseline, report');
  dataset
    .command('build')
    .description(
      'build a dataset into --out: Parquet per pair and split, manifest.json, report.html (replaces --out only when every check passed)',
    )
    .option('--pair <p>', 'one pair (same as --pairs P)')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .requiredOption('--from <date>', 'start (UTC)')
    .requiredOption('--to <date>', 'end, exclusive (UTC)')
    .option('--features <set>', "default (the spec's 576 columns), all (every family), or a comma list of families", 'default')
    .option('--lags <list>', `lags in bars (time features are never lagged)`, DEFAULT_LAGS.join(','))
    .option('--horizons <list>', 'label horizons in bars (15,30,45,60,75)', DEFAULT_HORIZONS.join(','))
    .option('--top <n>', 'features to select', String(DATASET_DEFAULTS.top))
    .option('--trees <n>', 'trees of the selection forest', String(DATASET_DEFAULTS.trees))
    .option('--depth <n>', 'depth of its trees', String(DATASET_DEFAULTS.maxDepth))
    .option('--seed <n>', 'seed of the sampling, forest and permutations', String(DATASET_DEFAULTS.seed))
    .option(
      '--concurrency <n>',
      'pairs extracted at once (one connection each) and forest worker threads',
      String(DATASET_DEFAULTS.concurrency),
    )
    .option('--out <dir>', 'output directory (absent, empty, or a previous dataset)', 'out/dataset')
    .option('--max-missing <share>', 'largest missing share of a feature past its warm-up', String(DATASET_DEFAULTS.maxMissing))
    .option('--max-gap <minutes>', 'longest gap between bars outside the weekend close', String(DATASET_DEFAULTS.maxGapMinutes))
    .option('--select-rows <n>', 'train rows the forest is fit on (a deterministic sample beyond)', String(DATASET_DEFAULTS.selectRows))
    .option('--permutation-rows <n>', 'validation rows permutation importance is measured on', String(DATASET_DEFAULTS.permutationRows))
    .option('--fit-rows <n>', 'train rows the baseline is fit on', String(DATASET_DEFAULTS.fitRows))
    .option(
      '--chunk-bars <n>',
      `bars of a pair built at a time (memory holds one chunk per --concurrency worker; the output does not depend on it; default: ${CHUNK_VALUES.toLocaleString('en-US')} values over the set's columns)`,
    )
    .option('--select-horizon <h>', 'label horizon the selection targets (default: the largest of --horizons)')
    .option(
      '--spine <file>',
      'events (CSV or Parquet: pair, ts, carried columns): one row per event, the latest bar complete at ts (default range: 4 days before the first event to a day after the last)',
    )
    .option('--allow-stale', 'build even where rows were computed under an older family definition (the manifest records it)')
    .option('--json', 'print the result as JSON')
    .action(async (o: BuildOpts) => {
      const spine = o.spine === undefined ? null : await readSpineInfo(o.spine);
      const range = parseRange(o.from, o.to, spine ? spineRange(spine) : undefined);
      const pairs = parsePairList(o.pair ?? o.pairs);
      const concurrency = parseIntOption('--concurrency', o.concurrency, 1);
      const opts = {
        pairs,
        from: range.from,
        to: range.to,
        features: o.features,
        lags: parseIntList('--lags', o.lags, DEFAULT_LAGS),
        horizons: parseIntList('--horizons', o.horizons, DEFAULT_HORIZONS),
        top: parseIntOption('--top', o.top, 1),
        trees: parseIntOption('--trees', o.trees, 2),
        maxDepth: parseIntOption('--depth', o.depth, 1),
        seed: parseIntOption('--seed', o.seed),
        concurrency,
        out: o.out,
        maxMissing: parseShare('--max-missing', o.maxMissing),
        maxGapMinutes: parseIntOption('--max-gap', o.maxGap, 1),
        selectRows: parseIntOption('--select-rows', o.selectRows, 100),
        permutationRows: parseIntOption('--permutation-rows', o.permutationRows, 100),
        fitRows: parseIntOption('--fit-rows', o.fitRows, 100),
        chunkBars: o.chunkBars === undefined ? undefined : parseIntOption('--chunk-bars', o.chunkBars, 1),
        selectHorizon: o.selectHorizon === undefined ? undefined : parseIntOption('--select-horizon', o.selectHorizon, 1),
        spine: o.spine,
        allowStale: o.allowStale === true,
      };
      await withDatabase(
        o,
        async (db) => {
          const log = (m: string) => {
            if (!o.json) process.stderr.write(`${m}\n`);
          };
          const r = await buildDatasetFiles(db.pool, {
            ...opts,
            onStage: (s) => log(`- ${s}`),
            onPair: (p, done, total) =>
              log(
                `  ${p.pair} ${done}/${total}: ${p.extract.rows} bars extracted, ${p.files ? `${p.files.train.rows}/${p.files.validation.rows}/${p.files.test.rows} rows` : `${p.validation.issues.length} problem(s)`} (${p.seconds.toFixed(1)} s)`,
              ),
          });
          printResult(
            o,
            {
              out: r.out,
              manifest: r.manifest,
              selection: { ...r.selection, ranking: r.selection.ranking.slice(0, 30) },
              seconds: r.seconds,
            },
            () => datasetSummary(r),
          );
        },
        { maxConnections: concurrency + 1 },
      );
    });
}
