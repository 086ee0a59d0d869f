/**
 * A store of 28 pairs x July 2024 with every family computed (the demo's store), kept in a database of
 * its own so the verify bench can reuse it: building it takes minutes, verifying it is what is measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { makePool } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshableFamilies } from '../src/runner/refreshFamily.ts';
import { rangePlan, runPairs } from '../src/runner/runPairs.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { ADMIN_URL, dbUrl } from './support.ts';

export const STORE_FROM = Date.UTC(2024, 6, 1);
export const STORE_TO = Date.UTC(2024, 7, 1);

/** The database name of the reusable store (BQX_BENCH_VERIFY_DB, default bqx_bench_verify_28x1m). */
export const storeName = () => process.env.BQX_BENCH_VERIFY_DB ?? 'bqx_bench_verify_28x1m';

/** Opens the store, building it first when it does not exist or is incomplete. */
export async function openStore(log: (m: string) => void = () => {}): Promise<{ pool: pg.Pool; name: string; built: boolean }> {
  const name = storeName();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  if (!exists) await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const pool = makePool(dbUrl(name), 4);
  await migrate(pool);
  const done = (
    await pool.query(`select count(*)::int as n from bqx.watermarks where refreshed_through >= $1`, [new Date(STORE_TO - 60_000)])
  ).rows[0].n;
  const want = PAIR_NAMES.length * refreshableFamilies().length;
  if (done >= want) return { pool, name, built: false };
  const file = path.join(os.tmpdir(), 'bqx-bench-28x2024-07.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 3, from: STORE_FROM, to: STORE_TO, pairs: PAIR_NAMES });
  log(`building ${name}: ingest`);
  await ingestSource(pool, openSource(file));
  log(`building ${name}: backfill of ${want} units`);
  const res = await runPairs(pool, PAIR_NAMES, rangePlan(refreshableFamilies(), STORE_FROM, STORE_TO), {
    concurrency: 2,
    trigger: 'backfill',
  });
  if (res.some((u) => u.status !== 'ok')) throw new Error('a backfill unit of the verify store failed');
  return { pool, name, built: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const s = await openStore((m) => console.error(m));
  console.error(`${s.name} ready (built now: ${s.built})`);
  await s.pool.end();
  process.exit(0);
}
