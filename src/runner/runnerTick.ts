/**
 * One tick of `bqx runner`: take new bars from the configured source (files dropped in a watched
 * directory, or the output of a command), refresh what changed, premake partitions, apply retention.
 * Each step logs one JSON line; a bad file is reported and left for a human, and the tick carries on.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { FAMILY_NAMES } from '../features/catalog/index.ts';
import { ingestSource } from '../ingest/ingest.ts';
import { openSource } from '../ingest/openSource.ts';
import { dropPartitions, ensurePartitions } from './partitions.ts';
import { refreshableFamilies } from './refreshFamily.ts';
import { incrementalPlan, runPairs } from './runPairs.ts';
import type { UnitResult } from './runUnit.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface TickOptions {
  pairs: readonly string[];
  families?: readonly string[];
  concurrency: number;
  watchDir?: string;
  command?: string;
  log: (event: Record<string, unknown>) => void;
  shouldStop?: () => boolean;
  onUnit?: (r: UnitResult) => void;
}

export interface TickResult {
  files: number;
  barsInserted: number;
  units: number;
  errors: number;
  partitionsCreated: number;
  partitionsDropped: number;
  seconds: number;
  /** Seconds per step: taking bars in, refreshing, premake and retention. */
  steps: { ingest: number; refresh: number; partitions: number };
}

async function ingestFile(pool: pg.Pool, file: string, o: TickOptions): Promise<number> {
  try {
    const r = await ingestSource(pool, openSource(file));
    o.log({ event: 'ingest', file, inserted: r.inserted, unchanged: r.unchanged, rejected: r.rejected });
    return r.inserted;
  } catch (err) {
    o.log({ event: 'ingest_failed', file, error: (err as Error).message, hint: 'fix or remove the file; the database is unchanged' });
    return -1;
  }
}

async function fromDirectory(pool: pg.Pool, dir: string, o: TickOptions): Promise<{ files: number; bars: number }> {
  let files = 0;
  let bars = 0;
  const names = fs.readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  for (const name of names) {
    const file = path.resolve(dir, name);
    const st = fs.statSync(file);
    if (!st.isFile()) continue;
    if ((await pool.query(sql('known_file'), [file, st.size, st.mtime])).rows[0].known) continue;
    const n = await ingestFile(pool, file, o);
    if (n < 0) continue;
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    await pool.query(sql('record_file'), [file, st.size, st.mtime, sha, n]);
    files++;
    bars += n;
  }
  return { files, bars };
}

async function fromCommand(pool: pg.Pool, command: string, o: TickOptions): Promise<{ files: number; bars: number }> {
  const out = path.join(os.tmpdir(), `bqx-runner-${process.pid}-${Date.now()}.csv`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', fs.openSync(out, 'w'), 'inherit'] });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  try {
    if (code !== 0) {
      o.log({ event: 'command_failed', command, exitCode: code });
      return { files: 0, bars: 0 };
    }
    if (fs.statSync(out).size === 0) return { files: 0, bars: 0 };
    const n = await ingestFile(pool, out, o);
    return { files: 1, bars: Math.max(0, n) };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

export async function runnerTick(pool: pg.Pool, o: TickOptions): Promise<TickResult> {
  const t0 = performance.now();
  const got = o.watchDir ? await fromDirectory(pool, o.watchDir, o) : o.command ? await fromCommand(pool, o.command, o) : { files: 0, bars: 0 };
  const t1 = performance.now();
  const families = o.families ?? refreshableFamilies();
  const units = await runPairs(pool, o.pairs, incrementalPlan(families), { concurrency: o.concurrency, trigger: 'runner', onUnit: o.onUnit, shouldStop: o.shouldStop });
  const t2 = performance.now();
  let created = 0;
  let dropped = 0;
  if (!o.shouldStop?.()) {
    // premake: the default horizon beyond the last month with data, every family with a table
    const now = Date.now();
    const tables = FAMILY_NAMES;
    for (const r of await ensurePartitions(pool, tables, o.pairs, { from: now - 86_400_000, to: now }, null)) created += r.created;
    const months = (await pool.query(sql('retention_months'))).rows[0].months as number;
    if (months > 0) {
      const d = new Date();
      const before = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1);
      dropped = (await dropPartitions(pool, tables, o.pairs, before)).filter((r) => r.action === 'dropped').length;
    }
  }
  const res: TickResult = {
    files: got.files, barsInserted: got.bars, units: units.length, errors: units.filter((u) => u.status === 'error').length,
    partitionsCreated: created, partitionsDropped: dropped, seconds: (performance.now() - t0) / 1000,
    steps: { ingest: (t1 - t0) / 1000, refresh: (t2 - t1) / 1000, partitions: (performance.now() - t2) / 1000 },
  };
  o.log({ event: 'tick', ...res });
  return res;
}
