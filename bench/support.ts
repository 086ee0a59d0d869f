/** Benchmark plumbing: a fresh database per measurement, machine facts, repeated timings with medians. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { makePool } from '../src/db/connect.ts';

export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function freshDatabase(): Promise<{ pool: pg.Pool; name: string; drop(): Promise<void> }> {
  // BENCH_DB_PREFIX: a shared server where each user may only make databases under its own prefix
  const name = `${process.env.BENCH_DB_PREFIX ?? 'bqx_bench'}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const pool = makePool(dbUrl(name), 4);
  return {
    pool,
    name,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function machine(): Promise<Record<string, string | number>> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  const v = (await c.query('show server_version')).rows[0].server_version;
  await c.end();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: v,
    date: new Date().toISOString().slice(0, 10),
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

export function record(name: string, result: unknown): void {
  fs.mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  fs.writeFileSync(new URL(`./results/${name}.json`, import.meta.url), JSON.stringify(result, null, 2));
}

export function readSql(name: string): string {
  return fs.readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
}
