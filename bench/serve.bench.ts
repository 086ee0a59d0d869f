/**
 * Issue 18 benchmarks (npm run bench -- serve | serve-spine).
 * serve: 28 pairs x BENCH_SERVE_DAYS days (default 3) with every family computed, then
 * - bqx.feature_vector (jsonb) and bqx.feature_vector_json alone: client-side p50/p99 of 1500 calls each
 *   (full vector, random pair and instant), alternating over one connection, next to `select 1` over
 *   the same connection (the round trip), and server-side means from a PL/pgSQL loop (no round trip);
 * - bqx serve on loopback with autocannon, 32 connections, BENCH_SERVE_SECONDS (default 10) each:
 *   /v1/features/{pair} (full vector), /v1/features?pairs=all (28 full vectors), each at a fixed instant,
 *   at none (the newest) and at a random instant per request (cold), and /healthz (`select 1` through the
 *   same server: the HTTP + pool baseline), from a server without the vector cache and one with it,
 *   interleaved, while a writer refreshes the last hour of a pair's bqx and statistics families in a loop
 *   (the runner's kind of load; every refresh invalidates that pair's cached vectors); the cache's hit
 *   ratio per run; then the notification latency (a refresh's commit -> the cache dropping the pair).
 * serve-spine: a month of BENCH_SPINE_PAIRS pairs (default 4) of the default families, a spine of
 *   BENCH_SPINE_EVENTS events (default 1M) over it; `dataset build --spine` next to a plain DuckDB
 *   ASOF JOIN of the same extracted tables (the same columns, lags included) written to Parquet, in the
 *   same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { buildDatasetFiles } from '../src/pipeline/buildDatasetFiles.ts';
import { DuckSession, duckIdent, duckLiteral } from '../src/pipeline/DuckSession.ts';
import { extractPair, rawTable } from '../src/pipeline/extract.ts';
import { resolveFeatureSet } from '../src/pipeline/featureSet.ts';
import { featureExpressions } from '../src/pipeline/lag.ts';
import { refreshableFamilies } from '../src/runner/refreshFamily.ts';
import { rangePlan, runPairs } from '../src/runner/runPairs.ts';
import { startServe } from '../src/serve/serve.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { dbUrl, freshDatabase } from './support.ts';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x: number) => Math.round(x * 1000) / 1000;

async function prepare(pool: pg.Pool, pairs: string[], from: number, to: number, families: string[], tag: string): Promise<void> {
  await migrate(pool);
  const file = path.join(os.tmpdir(), `bqx-bench-${tag}-${pairs.length}-${from}-${to}.csv`);
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 18, from, to, pairs });
  await ingestSource(pool, openSource(file));
  const units = await runPairs(pool, pairs, rangePlan(families, from, to), { concurrency: 2, trigger: 'backfill' });
  if (units.some((u) => u.status !== 'ok')) throw new Error('bench refresh failed');
}

export async function benchServe() {
  const days = Number(process.env.BENCH_SERVE_DAYS ?? 3);
  const seconds = Number(process.env.BENCH_SERVE_SECONDS ?? 10);
  const from = Date.UTC(2024, 6, 1);
  const to = from + days * 86_400_000;
  const db = await freshDatabase();
  const t0 = performance.now();
  try {
    await prepare(db.pool, [...PAIR_NAMES], from, to, refreshableFamilies(), 'serve');
    const setupSeconds = (performance.now() - t0) / 1000;
    const randomAt = () => new Date(from + 86_400_000 / 2 + Math.random() * (to - from - 86_400_000)).toISOString();
    const randomPair = () => PAIR_NAMES[Math.floor(Math.random() * PAIR_NAMES.length)];

    // bqx.feature_vector (jsonb) and bqx.feature_vector_json alone, alternating, next to select 1
    const c = await db.pool.connect();
    const lat: Record<'jsonb' | 'json' | 'roundTrip', number[]> = { jsonb: [], json: [], roundTrip: [] };
    let bytes = 0;
    const q = { jsonb: 'select bqx.feature_vector($1, $2)::text as v', json: 'select bqx.feature_vector_json($1, $2)::text as v' };
    try {
      for (let i = 0; i < 100; i++)
        for (const k of ['jsonb', 'json'] as const) await c.query({ name: k, text: q[k], values: [randomPair(), randomAt()] });
      for (let i = 0; i < 1500; i++) {
        for (const k of ['jsonb', 'json'] as const) {
          const a = performance.now();
          const r = await c.query({ name: k, text: q[k], values: [randomPair(), randomAt()] });
          lat[k].push(performance.now() - a);
          if (k === 'json') bytes += (r.rows[0].v as string).length;
        }
        const b = performance.now();
        await c.query({ name: 'one', text: 'select 1' });
        lat.roundTrip.push(performance.now() - b);
      }
    } finally {
      c.release();
    }
    const inServer = async (fn: string) =>
      new Promise<number>((resolve, reject) => {
        db.pool.connect().then((cl) => {
          cl.once('notice', (n) => {
            resolve(Number(n.message));
          });
          cl.query(`do $$
          declare v_t0 timestamptz; v text;
          begin
            for i in 1..50 loop v := ${fn}('eurusd', '${new Date(from + 86_400_000).toISOString()}'::timestamptz)::text; end loop;
            v_t0 := clock_timestamp();
            for i in 1..500 loop
              v := ${fn}((array[${PAIR_NAMES.map((p) => `'${p}'`).join(',')}])[1 + i % 28], '${new Date(from + 86_400_000).toISOString()}'::timestamptz + i * interval '97 seconds')::text;
            end loop;
            raise notice '%', extract(epoch from clock_timestamp() - v_t0) * 1000 / 500;
          end $$`).then(
            () => cl.release(),
            (e) => {
              cl.release();
              reject(e);
            },
          );
        }, reject);
      });
    const inServerJsonb = await inServer('bqx.feature_vector');
    const inServerJson = await inServer('bqx.feature_vector_json');
    const stats = (xs: number[]) => ({ p50_ms: ms(quantile(xs, 0.5)), p99_ms: ms(quantile(xs, 0.99)) });

    // HTTP under a writer's load: the same routes from a server without the cache (what main served)
    // and one with it, interleaved in this run
    const token = 'bench-token';
    const common = {
      url: dbUrl(db.name),
      host: '127.0.0.1',
      token,
      insecure: false,
      allowWriter: false,
      role: 'bqx_reader',
      connections: 4,
    } as const;
    const plain = await startServe({ ...common, port: 18434, cacheMaxAgeSeconds: 0 });
    const cached = await startServe({ ...common, port: 18435, cacheMaxAgeSeconds: 60 });
    let writing = true;
    let refreshes = 0;
    const writer = (async () => {
      const last = new Date(to - 3600_000);
      while (writing) {
        const p = randomPair();
        await db.pool.query('select bqx.refresh_bqx($1, $2, $3)', [p, last, new Date(to)]);
        await db.pool.query('select bqx.refresh_statistics_rate($1, $2, $3)', [p, last, new Date(to)]);
        refreshes++;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const run = async (server: typeof plain, label: string, p: string, randomPath?: () => string) => {
      const before = server.cacheStats();
      const r = await autocannon({
        url: `${server.url}${p}`,
        connections: 32,
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
        ...(randomPath ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: randomPath() }) }] } : {}),
      });
      const after = server.cacheStats();
      const hits = after && before ? after.hits - before.hits : 0;
      const misses = after && before ? after.misses - before.misses : 0;
      return {
        server: label,
        path: randomPath ? `${p} (a random at per request)` : p,
        requests: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors,
        rps: r.requests.average,
        p50_ms: r.latency.p50,
        p97_5_ms: r.latency.p97_5,
        p99_ms: r.latency.p99,
        max_ms: r.latency.max,
        meanBodyBytes: Math.round(r.throughput.total / Math.max(1, r.requests.total)),
        ...(after ? { cacheHitRatio: Math.round((hits / Math.max(1, hits + misses)) * 1000) / 1000, cacheLookups: hits + misses } : {}),
      };
    };
    const at = new Date(to - 600_000).toISOString();
    const coldPath = () => `/v1/features/${randomPair()}?at=${randomAt()}`;
    const coldAllPath = () => `/v1/features?pairs=all&at=${randomAt()}`;
    const http = [];
    const notifyLatency_ms: number[] = [];
    try {
      http.push(await run(plain, 'no cache', '/healthz'));
      http.push(await run(cached, 'cache', '/healthz'));
      for (const p of [
        `/v1/features/eurusd?at=${at}`,
        '/v1/features/eurusd',
        `/v1/features?pairs=all&at=${at}`,
        '/v1/features?pairs=all',
      ]) {
        http.push(await run(plain, 'no cache', p));
        http.push(await run(cached, 'cache', p));
      }
      http.push(await run(plain, 'no cache', '/v1/features/{pair}', coldPath));
      http.push(await run(cached, 'cache', '/v1/features/{pair}', coldPath));
      http.push(await run(plain, 'no cache', '/v1/features?pairs=all', coldAllPath));
      http.push(await run(cached, 'cache', '/v1/features?pairs=all', coldAllPath));
      writing = false;
      await writer;
      // notification latency: a refresh's commit returning to the writer -> the server's cache dropping
      for (let i = 0; i < 20; i++) {
        const n0 = cached.cacheStats()!.invalidations;
        await db.pool.query('select bqx.refresh_bqx($1, $2, $3)', ['eurusd', new Date(to - 60_000), new Date(to)]);
        const a = performance.now();
        while (cached.cacheStats()!.invalidations === n0 && performance.now() - a < 5000) await new Promise((r) => setImmediate(r));
        notifyLatency_ms.push(performance.now() - a);
      }
    } finally {
      writing = false;
      await writer;
      await plain.stop();
      await cached.stop();
    }
    return {
      pairs: 28,
      days,
      setupSeconds: Math.round(setupSeconds),
      featureVector: {
        calls: lat.json.length,
        jsonb: stats(lat.jsonb),
        json: stats(lat.json),
        roundTripSelect1: stats(lat.roundTrip),
        meanJsonBytes: Math.round(bytes / lat.json.length),
        inServerMean_ms: { jsonb: ms(inServerJsonb), json: ms(inServerJson) },
      },
      http,
      notifyLatency: stats(notifyLatency_ms),
      writerRefreshes: refreshes,
      load: os.loadavg().map((x) => Math.round(x * 10) / 10),
    };
  } finally {
    await db.drop();
  }
}

export async function benchServeSpine() {
  const nPairs = Number(process.env.BENCH_SPINE_PAIRS ?? 4);
  const nEvents = Number(process.env.BENCH_SPINE_EVENTS ?? 1_000_000);
  const pairs = PAIR_NAMES.slice(0, nPairs);
  const from = Date.UTC(2024, 6, 1);
  const to = Date.UTC(2024, 7, 1);
  const families = ['bqx', 'bollinger_rate', 'statistics_rate', 'volume_features', 'spread_features', 'time_features', 'labels'];
  const db = await freshDatabase();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-bench-spine-'));
  try {
    await prepare(db.pool, pairs, Date.UTC(2024, 5, 24), Date.UTC(2024, 7, 2), families, 'spine');
    // the spine: events at random instants (millisecond precision) over the month, written by DuckDB
    const spine = path.join(tmp, 'spine.parquet');
    const gen = await DuckSession.open();
    try {
      await gen.run(`copy (select [${pairs.map(duckLiteral).join(', ')}][1 + (hash(i, 1) % ${pairs.length})::int] as pair,
        to_timestamp(${from / 1000} + (hash(i, 2) % ${to - from})::double / 1000) as ts, (hash(i, 3) % 1000)::double / 1000 as signal
        from range(${nEvents}) r(i)) to ${duckLiteral(spine)} (format parquet)`);
    } finally {
      gen.close();
    }
    const t0 = performance.now();
    const built = await buildDatasetFiles(db.pool, {
      pairs,
      from,
      to,
      top: 50,
      trees: 20,
      maxDepth: 8,
      seed: 1,
      concurrency: 2,
      out: path.join(tmp, 'ds'),
      maxMissing: 0.01,
      maxGapMinutes: 60,
      selectRows: 100_000,
      permutationRows: 10_000,
      fitRows: 200_000,
      spine,
    });
    const buildSeconds = (performance.now() - t0) / 1000;
    const phases: Record<string, number> = {};
    for (const p of built.pairs) for (const [k, v] of Object.entries(p.phases)) phases[k] = (phases[k] ?? 0) + v;
    const rows = built.pairs.reduce((n, p) => n + (p.events?.kept ?? 0), 0);

    // the baseline: the same extract, then one plain ASOF JOIN per pair of the spine with the same
    // columns (lags by the same window) into Parquet; no split, purge, checks or selection
    const fset = resolveFeatureSet();
    const duck = await DuckSession.open();
    let extractSeconds = 0;
    let joinSeconds = 0;
    try {
      await duck.run(`create table spine as select * from read_parquet(${duckLiteral(spine)})`);
      for (const pair of pairs) {
        const a = performance.now();
        await extractPair(db.pool, duck, pair, fset, from, to);
        const b = performance.now();
        await duck.run(`copy (
          select e.pair, e.ts, e.signal, b.* from (select * from spine where pair = ${duckLiteral(pair)}) e
          asof join (select ts_utc, ts_utc + interval 1 minute as usable_at, ${featureExpressions(fset).join(', ')} from ${duckIdent(rawTable(pair))} window w as (order by ts_utc)) b
          on e.ts >= b.usable_at
          order by e.ts
        ) to ${duckLiteral(path.join(tmp, `plain_${pair}.parquet`))} (format parquet, compression zstd, row_group_size 20000)`);
        joinSeconds += (performance.now() - b) / 1000;
        extractSeconds += (b - a) / 1000;
        await duck.run(`drop table ${duckIdent(rawTable(pair))}`);
        await duck.run(`drop table if exists ${duckIdent(`labels_${pair}`)}`);
      }
    } finally {
      duck.close();
    }
    const spineStage = (phases.lag_split ?? 0) + (phases.parquet ?? 0);
    return {
      pairs: nPairs,
      events: nEvents,
      rowsWritten: rows,
      columns: fset.columns.length,
      build: {
        seconds: Math.round(buildSeconds * 10) / 10,
        phasesSummedOverPairs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      },
      plain: { extractSeconds: Math.round(extractSeconds * 10) / 10, asofJoinAndParquetSeconds: Math.round(joinSeconds * 10) / 10 },
      ratio: {
        spineJoinAndParquet_vs_plainAsof: Math.round((spineStage / joinSeconds) * 100) / 100,
        extractJoinParquet_vs_plain: Math.round((((phases.extract ?? 0) + spineStage) / (extractSeconds + joinSeconds)) * 100) / 100,
      },
      load: os.loadavg().map((x) => Math.round(x * 10) / 10),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    await db.drop();
  }
}
