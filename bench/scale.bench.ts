/**
 * Issue 20 item 1: the whole pipeline at scale, through the `bqx` CLI as a user runs it.
 *
 *   npm run bench -- scale [--pairs N] [--months M] [--from YYYY-MM] [--sizes 2x1,2x2,28x1] [--skip-dataset] [--keep]
 *     [--features SET] [--chunk-bars N] [--dataset-pairs N]   (dataset build options; `all` needs the currencies of
 *     correlation_features, which the backfill computed from every pair; --dataset-pairs builds the dataset of the first N)
 *
 * Default: the plan's 28 pairs x 12 months from 2024-07, the base instant (rates before it are NULL). A
 * year of 28 pairs needs about 65 GiB of store and, with `--features all`, about 144 GiB of dataset: the
 * bench checks the free space of its files' directory and of a local server's data directory first and
 * refuses a size that does not fit (`--dataset-pairs` or `--skip-dataset` make the dataset fit). `--sizes` runs a ladder of sizes one after another (each on its own database, dropped
 * afterwards), which is how memory boundedness is checked: every step's peak RSS should stay flat while
 * the range grows. Per size and step: wall time, peak RSS of the bqx process (GNU time's maximum
 * resident set size, which covers its children) and of the database's backends (RssAnon, polled), the
 * load average; per family rows, rows/s, disk (pg_total_relation_size over its partitions) and bytes per
 * bar; for the dataset build its per-pair stage times (summed over pairs) and its size on disk.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { makePool } from '../src/db/connect.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { watchPeak } from './peakRss.ts';
import { ADMIN_URL, dbUrl } from './support.ts';

interface StepResult {
  step: string;
  seconds: number;
  rssMiB: number;
  backendAnonMiB: number;
  backendsAnonSumMiB: number;
  load: number[];
  stdout: string;
  /** Seconds since start of each stderr line starting with "- " (the dataset build's stage marks). */
  marks: Array<{ stage: string; at: number }>;
}

const BQX = path.resolve('bin/bqx.mjs');

function parseArgs(argv: string[]) {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const pairs = Number(get('--pairs') ?? 28);
  const months = Number(get('--months') ?? 12);
  const sizes = (get('--sizes') ?? `${pairs}x${months}`).split(',').map((s) => {
    const [p, m] = s.split('x').map(Number);
    if (!(p >= 1 && p <= 28 && m >= 1)) throw new Error(`--sizes: ${s} is not PAIRSxMONTHS (1-28 pairs)`);
    return { pairs: p, months: m };
  });
  return {
    sizes,
    from: get('--from') ?? '2024-07',
    dataset: !argv.includes('--skip-dataset'),
    keep: argv.includes('--keep'),
    concurrency: get('--concurrency') ?? '2',
    // `all` needs every currency's pairs for correlation_features (NULL otherwise, which validation refuses)
    features: get('--features') ?? 'all',
    chunkBars: get('--chunk-bars'),
    datasetPairs: (() => {
      const v = get('--dataset-pairs');
      if (v === undefined) return undefined;
      if (!/^[1-9]\d*$/.test(v)) throw new Error(`--dataset-pairs: ${v} is not a number of pairs (1-28)`);
      return Number(v);
    })(),
  };
}

// Bytes a bar, measured at 28 x 2 and 28 x 12 (BENCHMARKS.md, issue 20 item 1): the whole store with Wave 3, the
// dataset with every feature and its lags, and the synthesized CSV while it is ingested.
const STORE_BYTES_PER_BAR = 6_700;
// (`all`: 10,100 at 2 x 1-4 without correlation_features' columns; a pair-year of 28 x 12 with them, 14,679)
const DATASET_ALL_BYTES_PER_BAR = 14_700;
const DATASET_DEFAULT_BYTES_PER_BAR = 3_000;
const CSV_BYTES_PER_BAR = 130;
// a pair-month of 1-minute FX bars (24 x 5 days a week): eurusd's 2024 is 376,946 bars
const BARS_PER_PAIR_MONTH = 31_500;
// WAL (max_wal_size defaults to 1 GiB, and may be exceeded between checkpoints) and the sorts' temp files
const HEADROOM_BYTES = 4 * 2 ** 30;

function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/** The server's data directory when the server runs on this machine and this user may read it. */
async function localDataDirectory(admin: pg.Pool): Promise<string | null> {
  const host = new URL(ADMIN_URL.replace(/^postgres(ql)?:/, 'http:')).hostname;
  if (host && !['localhost', '127.0.0.1', '::1', '[::1]'].includes(host)) return null;
  try {
    const dir = (await admin.query('show data_directory')).rows[0].data_directory as string;
    return fs.existsSync(dir) ? dir : null;
  } catch {
    return null; // not a superuser nor pg_read_all_settings: the check covers the files' directory only
  }
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/**
 * Refuses a size whose store and dataset cannot fit on the disk, before hours of work end in a full disk
 * (which stops the server). Store and dataset share a disk when the data directory and the files'
 * directory are on one filesystem.
 */
function checkDisk(
  size: { pairs: number; months: number },
  o: ReturnType<typeof parseArgs>,
  work: string,
  dataDir: string | null,
): { needStore: number; needFiles: number; freeWork: number; freeData: number | null } {
  const bars = size.pairs * size.months * BARS_PER_PAIR_MONTH;
  const datasetPairs = Math.min(o.datasetPairs ?? size.pairs, size.pairs);
  const perBar = o.features === 'all' ? DATASET_ALL_BYTES_PER_BAR : DATASET_DEFAULT_BYTES_PER_BAR;
  const needStore = bars * STORE_BYTES_PER_BAR + HEADROOM_BYTES;
  // the CSV is deleted after the ingest, before the dataset is written: the larger of the two
  const csvBytes = bars * CSV_BYTES_PER_BAR;
  const needFiles = o.dataset ? Math.max(csvBytes, datasetPairs * size.months * BARS_PER_PAIR_MONTH * perBar) : csvBytes;
  const freeWork = freeBytes(work);
  const freeData = dataDir ? freeBytes(dataDir) : null;
  const sameDisk = dataDir !== null && fs.statSync(dataDir).dev === fs.statSync(work).dev;
  const short: string[] = [];
  if (sameDisk && needStore + needFiles > freeWork)
    short.push(`store and files need about ${gib(needStore + needFiles)} on one disk, ${gib(freeWork)} free`);
  if (!sameDisk && freeData !== null && needStore > freeData) short.push(`the store needs about ${gib(needStore)}, ${gib(freeData)} free`);
  if (!sameDisk && needFiles > freeWork) short.push(`the files need about ${gib(needFiles)} in ${work}, ${gib(freeWork)} free`);
  if (short.length)
    throw new Error(
      `scale ${size.pairs}x${size.months}: ${short.join('; ')}. Build the dataset of fewer pairs (--dataset-pairs N), ` +
        'skip it (--skip-dataset), put the files elsewhere (BQX_SCALE_DIR) or run a smaller size.',
    );
  return { needStore, needFiles, freeWork, freeData };
}

function addMonths(ym: string, n: number): string {
  const [y, m] = ym.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}

/** Runs `bqx ARGS` under GNU time, polling its database's backends; fails on a non-zero exit. */
async function runBqx(step: string, args: string[], url: string, admin: pg.Pool, datname: string): Promise<StepResult> {
  const timeFile = path.join(os.tmpdir(), `bqx-scale-time-${process.pid}.txt`);
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, BQX, ...args, '--database-url', url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watch = watchPeak(child.pid!, admin, datname);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => {
    stdout += b;
  });
  const marks: Array<{ stage: string; at: number }> = [];
  let partial = '';
  child.stderr.on('data', (b) => {
    const lines = (partial + b).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.startsWith('- ')) marks.push({ stage: l.slice(2).trim(), at: (performance.now() - t0) / 1000 });
    stderr += b;
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 16));
  });
  const code: number = await new Promise((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - t0) / 1000;
  const peak = watch.stop();
  if (code !== 0) throw new Error(`${step}: bqx ${args.join(' ')} exited ${code}\n${stderr.slice(-4000)}`);
  const rssMiB = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024;
  fs.rmSync(timeFile, { force: true });
  const r = {
    step,
    seconds,
    rssMiB,
    backendAnonMiB: peak.backendAnonMiB,
    backendsAnonSumMiB: peak.backendsAnonSumMiB,
    load: os.loadavg().map((x) => Math.round(x * 100) / 100),
    stdout,
    marks,
  };
  console.error(
    `  ${step}: ${seconds.toFixed(1)} s, bqx peak RSS ${rssMiB.toFixed(0)} MiB, backend anon peak ${peak.backendAnonMiB.toFixed(0)} MiB (sum ${peak.backendsAnonSumMiB.toFixed(0)}), load ${r.load[0]}`,
  );
  return r;
}

function duBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? duBytes(p) : fs.statSync(p).size;
  }
  return n;
}

async function runSize(size: { pairs: number; months: number }, o: ReturnType<typeof parseArgs>) {
  const pairs = PAIR_NAMES.slice(0, size.pairs);
  const from = addMonths(o.from, 0);
  const to = addMonths(o.from, size.months);
  // BQX_SCALE_DB_PREFIX: a shared server may reserve database names per user
  const datname = `${process.env.BQX_SCALE_DB_PREFIX ?? 'scale'}_${size.pairs}x${size.months}_${process.pid}`;
  const url = dbUrl(datname);
  const admin = makePool(ADMIN_URL, 2);
  const work = fs.mkdtempSync(path.join(process.env.BQX_SCALE_DIR ?? os.tmpdir(), `bqx-scale-${size.pairs}x${size.months}-`));
  let disk: ReturnType<typeof checkDisk>;
  try {
    disk = checkDisk(size, o, work, await localDataDirectory(admin));
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    await admin.end();
    throw e;
  }
  // the least free space seen on the files' disk while the size runs (sampled every 5 s)
  let minFreeBytes = disk.freeWork;
  const diskPoll = setInterval(() => {
    minFreeBytes = Math.min(minFreeBytes, freeBytes(work));
  }, 5000);
  diskPoll.unref();
  await admin.query(`create database ${datname}`);
  console.error(`size ${size.pairs} pairs x ${size.months} months (${from}..${to}), database ${datname}, files in ${work}`);
  const steps: StepResult[] = [];
  const run = async (step: string, args: string[]) => {
    // every step is safe to rerun; a session ended from outside (a shared server) gets one retry
    const r = await runBqx(step, args, url, admin, datname).catch((e: Error) => {
      if (!/57P01|terminat|BQX_DB/.test(e.message)) throw e;
      console.error(`  ${step}: the server ended a session, running it again`);
      return runBqx(step, args, url, admin, datname);
    });
    steps.push(r);
    return r;
  };
  const families: Array<Record<string, number | string>> = [];
  let dataset: Record<string, unknown> | null = null;
  const store = makePool(url, 1);
  try {
    const pairList = pairs.join(',');
    await run('migrate', ['migrate']);
    const synth = await run('synth', [
      'synth',
      '--pairs',
      pairList,
      '--from',
      from,
      '--to',
      to,
      '--seed',
      '42',
      '--out',
      work,
      '--force',
      '--json',
    ]);
    const csv = (JSON.parse(synth.stdout) as { file: string; rows: number }).file;
    const csvBytes = fs.statSync(csv).size;
    // A year of 28 pairs needs 336 m1 partitions, more than one ingest transaction may create
    // (bqx.settings.max_partitions_per_ingest): the ingest's own hint, which a user follows, is to make
    // them first (committed per pair).
    await run('partitions', [
      'partitions',
      'ensure',
      '--family',
      'm1',
      '--pairs',
      pairList,
      '--from',
      from.slice(0, 7),
      '--to',
      to.slice(0, 7),
    ]);
    await run('ingest', ['ingest', csv, '--json']);
    fs.rmSync(csv, { force: true });
    const bars = Number((await store.query('select count(*) n from bqx.m1')).rows[0].n);
    const { refreshableFamilies } = await import('../src/runner/refreshFamily.ts');
    for (const family of refreshableFamilies()) {
      const r = await run(`backfill ${family}`, [
        'backfill',
        '--from',
        from,
        '--to',
        to,
        '--pairs',
        pairList,
        '--family',
        family,
        '--concurrency',
        o.concurrency,
        '--json',
      ]);
      const units = JSON.parse(r.stdout) as Array<{ rows: number }>;
      const rows = units.reduce((s, u) => s + (u.rows ?? 0), 0);
      const bytes = Number(
        (
          await store.query(`select coalesce(sum(pg_total_relation_size(relid)), 0) b from pg_partition_tree($1::regclass) where isleaf`, [
            `bqx.${family}`,
          ])
        ).rows[0].b,
      );
      families.push({
        family,
        rows,
        seconds: r.seconds,
        rowsPerSecond: rows / r.seconds,
        rssMiB: r.rssMiB,
        backendAnonMiB: r.backendAnonMiB,
        bytes,
        bytesPerBar: bytes / bars,
      });
    }
    const m1Bytes = Number(
      (await store.query(`select coalesce(sum(pg_total_relation_size(relid)), 0) b from pg_partition_tree('bqx.m1') where isleaf`)).rows[0]
        .b,
    );
    const dbBytes = Number((await store.query('select pg_database_size(current_database()) b')).rows[0].b);
    let datasetBars = bars;
    if (o.dataset) {
      const out = path.join(work, 'dataset');
      const datasetPairs = pairs.slice(0, o.datasetPairs ?? pairs.length);
      if (datasetPairs.length < pairs.length)
        datasetBars = Number((await store.query('select count(*) n from bqx.m1 where pair = any($1)', [datasetPairs])).rows[0].n);
      const r = await run('dataset build', [
        'dataset',
        'build',
        '--pairs',
        datasetPairs.join(','),
        '--from',
        from,
        '--to',
        to,
        '--features',
        o.features,
        ...(o.chunkBars ? ['--chunk-bars', o.chunkBars] : []),
        '--out',
        out,
      ]);
      const outBytes = duBytes(out);
      // per-pair stage seconds (summed over pairs; pairs run --concurrency at a time) from report.json,
      // and the wall time of each whole-dataset stage from the stage marks on stderr
      const phases: Record<string, number> = {};
      const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as {
        seconds: number;
        pairs: Array<{ phases?: Record<string, number>; pair: string }>;
      };
      for (const p of report.pairs) for (const [k, v] of Object.entries(p.phases ?? {})) phases[k] = (phases[k] ?? 0) + v;
      const stages: Record<string, number> = {};
      r.marks.forEach((m, i) => {
        stages[m.stage] = (r.marks[i + 1]?.at ?? r.seconds) - m.at;
      });
      dataset = {
        seconds: r.seconds,
        buildSeconds: report.seconds,
        rssMiB: r.rssMiB,
        backendAnonMiB: r.backendAnonMiB,
        pairs: datasetPairs.length,
        bars: datasetBars,
        outBytes,
        outBytesPerBar: outBytes / datasetBars,
        pairPhaseSeconds: phases,
        stages,
      };
      if (!o.keep) fs.rmSync(out, { recursive: true, force: true });
    }
    const result = {
      pairs: size.pairs,
      months: size.months,
      from,
      to,
      bars,
      csvBytes,
      m1Bytes,
      m1BytesPerBar: m1Bytes / bars,
      dbBytes,
      dbBytesPerBar: dbBytes / bars,
      steps: steps.map(({ stdout: _s, marks: _m, ...s }) => s),
      families,
      dataset,
      disk: { ...disk, minFreeBytes },
      benchRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    console.error(JSON.stringify(result));
    return result;
  } catch (err) {
    // what was measured before the failing step is still worth having
    console.error(
      JSON.stringify({
        partial: true,
        pairs: size.pairs,
        months: size.months,
        steps: steps.map(({ stdout: _s, marks: _m, ...s }) => s),
        families,
      }),
    );
    throw err;
  } finally {
    clearInterval(diskPoll);
    await store.end();
    if (!o.keep) {
      await admin.query(`drop database if exists ${datname} with (force)`);
      fs.rmSync(work, { recursive: true, force: true });
    }
    await admin.end();
  }
}

export async function benchScale(argv: string[] = process.argv.slice(3)) {
  const o = parseArgs(argv);
  const results = [];
  for (const size of o.sizes) results.push(await runSize(size, o));
  return { loadAtStart: os.loadavg(), sizes: results };
}
