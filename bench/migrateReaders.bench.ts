/**
 * Issue 15 item 3, readers keep reading: a reader queries bqx.features_eurusd in a loop while
 * `bqx migrate` (the CLI of a scratch repository copy) applies a catalog change that adds a column to
 * time_features, so the migration alters the family's tables and migrate re-creates every feature view.
 * Reported: the reader's p99 and max latency with no migrate (the same loop, same run, the baseline),
 * during migrate, and during migrate while a long analyst query (a transaction that read the view and
 * stays open LONG_MS, longer than migrate takes to reach its DDL) holds the view, with the default lock_timeout (1 s, retried) and with one long
 * enough to wait the query out (what a plain migrate does).
 */
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { makePool } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshFamily } from '../src/runner/refreshFamily.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { addSydneyColumn, copyRepo } from '../test/support/repoCopy.ts';
import { ADMIN_URL, dbUrl } from './support.ts';

const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 8);
const LONG_MS = 30_000;
const READ = `select ts_utc, close, is_tokyo, w15_bqx_return from bqx.features_eurusd
  where ts_utc >= '2024-07-03' order by ts_utc limit 500`;

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

interface Latency {
  queries: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  seconds: number;
}

/** Runs the reader loop until `during` settles; returns its latencies. */
async function readLoop(pool: pg.Pool, during: Promise<unknown>): Promise<Latency> {
  const ms: number[] = [];
  let errors = 0;
  let done = false;
  const t0 = performance.now();
  void during.finally(() => {
    done = true;
  });
  while (!done) {
    const t = performance.now();
    try {
      await pool.query(READ);
    } catch {
      errors++;
    }
    ms.push(performance.now() - t);
  }
  await during;
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
  return {
    queries: ms.length,
    errors,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: Math.round(s.at(-1)! * 10) / 10,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}

/** A long analyst query: a transaction that read the view (and so holds its lock) for LONG_MS. */
async function longReader(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('begin');
  // reads time_features' and bqx's columns, so the planner keeps their joins (and their locks)
  await c.query(`select count(*), sum(is_tokyo), sum(w15_bqx_return) from bqx.features_eurusd where ts_utc >= '2024-07-01'`);
  await new Promise((r) => setTimeout(r, LONG_MS));
  await c.query('commit');
  await c.end();
}

export async function benchMigrateReaders() {
  const tpl = `bqx_bench_mr_tpl_${process.pid}`;
  await admin(`drop database if exists ${tpl}`);
  await admin(`create database ${tpl}`);
  const file = path.join(os.tmpdir(), `bqx-bench-migrate-readers-${process.pid}.csv`);
  await synthToFile(file, { seed: 15, from: FROM, to: TO, pairs: ['eurusd'] });
  const p = makePool(dbUrl(tpl), 2);
  await migrate(p);
  await ingestSource(p, openSource(file));
  for (const f of ['bqx', 'time_features', 'volume_features']) await refreshFamily(p, f, 'eurusd', { from: FROM, to: TO });
  await p.end();
  const repo = copyRepo();
  await addSydneyColumn(repo);

  const scenario = async (name: string, migrateArgs: string[] | null, withLongReader: boolean) => {
    const db = `bqx_bench_mr_${name.replace(/\W/g, '_')}_${process.pid}`;
    await admin(`create database ${db} template ${tpl}`);
    const url = dbUrl(db);
    const pool = makePool(url, 2);
    try {
      await pool.query(READ); // warm
      const work = (async () => {
        if (!migrateArgs) return new Promise((r) => setTimeout(r, 8000));
        const long = withLongReader ? longReader(url) : Promise.resolve();
        await new Promise((r) => setTimeout(r, 200));
        const m = await repo.bqx(url, 'migrate', ...migrateArgs);
        await long;
        if (m.code !== 0) throw new Error(`migrate failed: ${m.stderr}`);
        return m;
      })();
      return { scenario: name, ...(await readLoop(pool, work)) };
    } finally {
      await pool.end();
      await admin(`drop database if exists ${db} with (force)`);
    }
  };
  try {
    const baseline = await scenario('no migrate', null, false);
    const during = await scenario('during migrate', [], false);
    const longDefault = await scenario(`migrate + ${LONG_MS / 1000} s analyst query, lock_timeout 1 s`, ['--lock-attempts', '40'], true);
    const longWait = await scenario(`migrate + ${LONG_MS / 1000} s analyst query, lock_timeout 60 s`, ['--lock-timeout', '60000'], true);
    return {
      rows: [baseline, during, longDefault, longWait],
      ratios: {
        p99DuringVsBaseline: Math.round((during.p99Ms / baseline.p99Ms) * 10) / 10,
        maxDuringVsBaseline: Math.round((during.maxMs / baseline.maxMs) * 10) / 10,
        maxWithLongQuery1sVs60s: Math.round((longDefault.maxMs / longWait.maxMs) * 100) / 100,
      },
    };
  } finally {
    repo.remove();
    await admin(`drop database if exists ${tpl} with (force)`);
  }
}
