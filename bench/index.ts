/**
 * Benchmarks: npm run bench -- [migrate|migrate-readers|partitions|ingest|features|technical|runner|views|verify|dataset-extract|dataset-select|serve|serve-spine|monitor|upgrade|wave3|wave3-tick|corr-before-after|peer|all|scale]
 * (`scale` only when named; its flags follow it: npm run bench -- scale --sizes 2x1,2x2)
 * Runs against DATABASE_URL (default: the local server at 127.0.0.1:5432), creating and dropping its own
 * databases. Prints machine facts and each result next to its baseline; BENCHMARKS.md records them.
 */
import { benchCorrBeforeAfter } from './corrBeforeAfter.bench.ts';
import { benchDatasetExtract, benchDatasetSelect } from './dataset.bench.ts';
import { benchFeatures } from './features.bench.ts';
import { benchIngest } from './ingest.bench.ts';
import { benchMigrate } from './migrate.bench.ts';
import { benchMigrateReaders } from './migrateReaders.bench.ts';
import { benchMonitor } from './monitor.bench.ts';
import { benchPartitions } from './partitions.bench.ts';
import { benchPeer } from './peer.bench.ts';
import { benchRunner } from './runner.bench.ts';
import { benchScale } from './scale.bench.ts';
import { benchServe, benchServeSpine } from './serve.bench.ts';
import { machine, record } from './support.ts';
import { benchTechnical } from './technical.bench.ts';
import { benchUpgrade } from './upgrade.bench.ts';
import { benchVerify } from './verify.bench.ts';
import { benchViews } from './views.bench.ts';
import { benchWave3 } from './wave3.bench.ts';
import { benchWave3Tick } from './wave3Tick.bench.ts';

const which = process.argv[2] ?? 'all';
const suites: Record<string, () => Promise<unknown>> = {
  migrate: () => benchMigrate(),
  'migrate-readers': () => benchMigrateReaders(),
  partitions: () => benchPartitions(),
  ingest: () => benchIngest(),
  features: () => benchFeatures(),
  wave3: () => benchWave3(),
  'wave3-tick': () => benchWave3Tick(),
  'corr-before-after': () => benchCorrBeforeAfter(),
  technical: () => benchTechnical(),
  runner: () => benchRunner(),
  views: () => benchViews(),
  verify: () => benchVerify(),
  'dataset-extract': () => benchDatasetExtract(),
  'dataset-select': () => benchDatasetSelect(),
  serve: () => benchServe(),
  'serve-spine': () => benchServeSpine(),
  monitor: () => benchMonitor(),
  upgrade: () => benchUpgrade(),
  peer: () => benchPeer(),
  scale: () => benchScale(),
};
// hours and tens of GiB at their defaults: only when named
const explicitOnly = new Set(['scale']);
const m = await machine();
console.log(JSON.stringify({ machine: m }));
for (const [name, run] of Object.entries(suites)) {
  if (which !== name && (which !== 'all' || explicitOnly.has(name))) continue;
  const result = await run();
  record(name, { machine: m, result });
  console.log(JSON.stringify({ [name]: result }, null, 2));
}
process.exit(0);
