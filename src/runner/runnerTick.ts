/**
 * One tick of `bqx runner`: take new bars from the configured source (files dropped in a watched
 * directory, or the output of a command), refresh what changed, premake partitions, apply retention.
 * Each step logs one JSON line; a bad file is reported and left for a human, and the tick carries on.
 *
 * A watched file is taken only when complete: its name does not start with '.' or end in .tmp/.part (write
 * there, then rename), it ends with a newline (JSON: with its closing bracket), and its size and mtime are
 * the same across two looks settleMs apart, the later at least settleMs after its last change. A file that
 * is not complete yet is left for a later tick. A file whose bars conflict with stored ones loads the rest,
 * its differing bars going to DIR/.bqx-quarantine/NAME.conflicts.csv, and is recorded: it never blocks
 * the rest of the feed.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { CROSS_SECTIONAL, FAMILY_NAMES } from '../features/catalog/index.ts';
import { ingestSource } from '../ingest/ingest.ts';
import { openSource } from '../ingest/openSource.ts';
import { catchUpDefinitions, tickBudgetSeconds } from './catchUpDefinitions.ts';
import { dropCrossPartitions, dropPartitions, ensureCrossPartitions, ensurePartitions } from './partitions.ts';
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
  /** How long a watched file must stay unchanged before it is taken (default 2000 ms). */
  settleMs?: number;
  /** Seconds of stale-row catch-up after the new bars (default: bqx.settings definition_tick_seconds). */
  staleBudgetSeconds?: number;
}

export interface TickResult {
  files: number;
  barsInserted: number;
  units: number;
  /** Units of the catch-up of rows computed under an older definition (within the tick's budget). */
  staleUnits: number;
  errors: number;
  partitionsCreated: number;
  partitionsDropped: number;
  seconds: number;
  /** Seconds per step: taking bars in, refreshing, premake and retention. */
  steps: { ingest: number; refresh: number; partitions: number };
}

async function ingestFile(pool: pg.Pool, file: string, o: TickOptions, quarantineDir?: string): Promise<number> {
  try {
    const r = await ingestSource(pool, openSource(file));
    o.log({ event: 'ingest', file, inserted: r.inserted, unchanged: r.unchanged, rejected: r.rejected });
    return r.inserted;
  } catch (first) {
    let err = first;
    if (quarantineDir && err instanceof BqxError && err.code === 'BQX_INGEST_CONFLICT') {
      // The store never overwrites a bar, and a differing one must not hold up the rest of the feed: the
      // differing bars go to quarantine for a human, the file's other bars load.
      const rejectFile = path.join(quarantineDir, `${path.basename(file)}.conflicts.csv`);
      try {
        fs.mkdirSync(quarantineDir, { recursive: true });
        const r = await ingestSource(pool, openSource(file), { rejectFile });
        o.log({
          event: 'ingest_conflicts',
          file,
          inserted: r.inserted,
          unchanged: r.unchanged,
          rejected: r.rejected,
          quarantined: rejectFile,
          hint: 'bars that differ from stored ones were not stored; see the quarantine file',
        });
        return r.inserted;
      } catch (again) {
        err = again;
      }
    }
    o.log({ event: 'ingest_failed', file, error: (err as Error).message, hint: 'fix or remove the file; the database is unchanged' });
    return -1;
  }
}

const INCOMPLETE_NAME = /\.(tmp|part|partial)$/i;

/** Whether a file ends as a complete file of its kind does: a final newline, or a JSON document's bracket. */
function endsComplete(file: string, size: number): boolean {
  if (size === 0) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const n = Math.min(size, 64);
    const buf = Buffer.alloc(n);
    fs.readSync(fd, buf, 0, n, size - n);
    if (buf[n - 1] === 0x0a) return true;
    const tail = buf.toString('latin1').trimEnd();
    return /\.json$/i.test(file) && /[}\]]$/.test(tail);
  } finally {
    fs.closeSync(fd);
  }
}

async function fromDirectory(pool: pg.Pool, dir: string, o: TickOptions): Promise<{ files: number; bars: number }> {
  let files = 0;
  let bars = 0;
  const settleMs = o.settleMs ?? 2000;
  const quarantineDir = path.join(dir, '.bqx-quarantine');
  const names = fs
    .readdirSync(dir)
    .filter((n) => !n.startsWith('.') && !INCOMPLETE_NAME.test(n))
    .sort();
  // First look: the files not taken yet as they are now.
  const looks: Array<{ file: string; size: number; mtimeMs: number }> = [];
  for (const name of names) {
    const file = path.resolve(dir, name);
    const st = fs.statSync(file);
    if (!st.isFile()) continue;
    if ((await pool.query<{ known: boolean }>(sql('known_file'), [file, st.size, st.mtime])).rows[0].known) continue;
    looks.push({ file, size: st.size, mtimeMs: st.mtimeMs });
  }
  // Second look once every candidate has been quiet for settleMs: a writer still at work shows in size or mtime.
  const wait = looks.reduce((w, l) => Math.max(w, l.mtimeMs + settleMs - Date.now()), 0);
  if (looks.length && wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, settleMs)));
  for (const look of looks) {
    const file = look.file;
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.size !== look.size || st.mtimeMs !== look.mtimeMs || Date.now() - st.mtimeMs < settleMs || !endsComplete(file, st.size)) {
      o.log({
        event: 'ingest_deferred',
        file,
        size: st.size,
        reason: 'not complete yet (still changing, or no final newline); taken on a later tick',
      });
      continue;
    }
    const n = await ingestFile(pool, file, o, quarantineDir);
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
    const size = fs.statSync(out).size;
    if (size === 0) return { files: 0, bars: 0 };
    // A command that exited 0 has written all it meant to: its output is complete even without a final
    // newline, which the ingest would otherwise read as a line cut short.
    if (!endsComplete(out, size)) fs.appendFileSync(out, '\n');
    const n = await ingestFile(pool, out, o);
    return { files: 1, bars: Math.max(0, n) };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

export async function runnerTick(pool: pg.Pool, o: TickOptions): Promise<TickResult> {
  const t0 = performance.now();
  const got = o.watchDir
    ? await fromDirectory(pool, o.watchDir, o)
    : o.command
      ? await fromCommand(pool, o.command, o)
      : { files: 0, bars: 0 };
  const t1 = performance.now();
  const families = o.families ?? refreshableFamilies();
  const run = { concurrency: o.concurrency, trigger: 'runner' as const, onUnit: o.onUnit, shouldStop: o.shouldStop };
  const units = await runPairs(pool, o.pairs, incrementalPlan(families), run);
  // then rows of older definitions, newest first, within the tick's budget: the new bars never wait
  // for more than that and the unit in flight when it ran out
  const budgetSeconds = o.staleBudgetSeconds ?? (await tickBudgetSeconds(pool));
  const stale =
    o.shouldStop?.() || budgetSeconds <= 0 ? [] : (await catchUpDefinitions(pool, o.pairs, families, { ...run, budgetSeconds })).units;
  const t2 = performance.now();
  let created = 0;
  let dropped = 0;
  if (!o.shouldStop?.()) {
    // premake: the default horizon beyond the last month with data, every family with a table
    const now = Date.now();
    const tables = FAMILY_NAMES;
    const cross = CROSS_SECTIONAL.map((f) => f.family);
    for (const r of await ensurePartitions(pool, tables, o.pairs, { from: now - 86_400_000, to: now }, null)) created += r.created;
    for (const r of await ensureCrossPartitions(pool, cross, { from: now - 86_400_000, to: now }, null)) created += r.created;
    const months = (await pool.query<{ months: number }>(sql('retention_months'))).rows[0].months;
    if (months > 0) {
      const d = new Date();
      const before = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1);
      dropped = (await dropPartitions(pool, tables, o.pairs, before)).filter((r) => r.action === 'dropped').length;
      // then the cross-section's months no kept row of any pair reads (bqx.drop_cross_partitions)
      dropped += (await dropCrossPartitions(pool, cross, before)).filter((r) => r.action === 'dropped').length;
    }
  }
  const res: TickResult = {
    files: got.files,
    barsInserted: got.bars,
    units: units.length,
    staleUnits: stale.length,
    errors: [...units, ...stale].filter((u) => u.status === 'error').length,
    partitionsCreated: created,
    partitionsDropped: dropped,
    seconds: (performance.now() - t0) / 1000,
    steps: { ingest: (t1 - t0) / 1000, refresh: (t2 - t1) / 1000, partitions: (performance.now() - t2) / 1000 },
  };
  o.log({ event: 'tick', ...res });
  return res;
}
