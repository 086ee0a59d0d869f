/**
 * Failures that must not look like crashes or like success (issue 14, item 5): a connection terminated
 * (pg_terminate_backend) in the middle of a backfill ends as BQX_DB, exit 6, with the unit recorded in
 * bqx.refresh_runs, and a rerun completes the store; a unit whose lock another session holds is skipped
 * with its dependents, listed, and the backfill exits 7 naming the holder; a lock wait ends after
 * BQX_LOCK_TIMEOUT as BQX_LOCKED, exit 7, naming the holder, recorded.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { completeness } from '../../src/runner/refreshUntilComplete.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { createDatabase, type TestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

const execP = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');
const PAIRS = ['eurusd', 'gbpusd'];
const LONG = 600_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}
async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const r = await execP(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('runner failures', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let file: string;

  beforeAll(async () => {
    file = tmpPath('failures.csv');
    await synthToFile(file, { seed: 5, from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 6, 4), pairs: PAIRS });
    db = await createDatabase();
    await ingestSource(db.pool, openSource(file));
  }, LONG);
  afterAll(async () => {
    await db?.drop();
  });

  it(
    'ends a backfill whose connection is terminated as BQX_DB (exit 6), records the unit, and the rerun completes',
    async () => {
      // one connection of our own, opened before the CLI: it watches and terminates, and is never a target
      const watcher = new pg.Client({ connectionString: db.url });
      await watcher.connect();
      try {
        const spawned = new Date();
        const child = spawn(
          process.execPath,
          [
            BIN,
            'backfill',
            '--pairs',
            PAIRS.join(','),
            '--from',
            '2024-07-01',
            '--to',
            '2024-07-04',
            '--concurrency',
            '2',
            '--json',
            '--database-url',
            db.url,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stderr = '';
        let stdout = '';
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.stdout.on('data', (d) => {
          stdout += d;
        });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        // wait for a refresh function in flight (after at least one unit committed), then end its session
        let victim: number | null = null;
        for (let i = 0; i < 1200 && victim === null; i++) {
          const r = await watcher.query(
            `select a.pid from pg_stat_activity a
           where a.datname = current_database() and a.pid <> pg_backend_pid() and a.backend_start >= $1
             and a.state = 'active' and a.query like 'select bqx."refresh_%'
             and exists (select 1 from bqx.refresh_runs where status = 'ok') limit 1`,
            [spawned],
          );
          victim = r.rows[0]?.pid ?? null;
          if (victim === null) await new Promise((res) => setTimeout(res, 50));
        }
        expect(victim, 'a unit in flight').not.toBeNull();
        await watcher.query('select pg_terminate_backend($1)', [victim]);
        const code = await exited;
        expect(stderr).not.toMatch(/Unhandled 'error' event|unexpected error/);
        expect(code, stderr).toBe(6);
        const doc = JSON.parse(stdout);
        expect(doc.error.code).toBe('BQX_DB');
        expect(doc.error.message).toMatch(/backfill did not complete/);
        expect(doc.error.message).toMatch(/lost the database connection|terminating connection/);
        const failed = (await watcher.query(`select pair, family, error from bqx.refresh_runs where status = 'error'`)).rows;
        expect(failed.length).toBeGreaterThanOrEqual(1);
        expect(failed.every((r) => /^BQX_DB: lost the database connection/.test(r.error))).toBe(true);
        // the families that read the failed one were not run, and say so
        const skipped = (await watcher.query(`select family, error from bqx.refresh_runs where status = 'skipped'`)).rows;
        expect(skipped.every((r) => /^not run: it reads /.test(r.error))).toBe(true);
        // the backoff of the failed unit is the only thing between the rerun and a complete store
        await watcher.query(`update bqx.watermarks set retry_at = null`);
        const rerun = await cli(['refresh', '--pairs', PAIRS.join(','), '--database-url', db.url]);
        expect(rerun.code, rerun.stderr).toBe(0);
        expect(await completeness(db.pool, null, null)).toEqual([]);
      } finally {
        await watcher.end();
      }
    },
    LONG,
  );

  it(
    'skips a locked unit and its dependents, lists them, names the holder and exits 7',
    async () => {
      const holder = new pg.Client({ connectionString: db.url, application_name: 'the-holder' });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query(`select pg_advisory_xact_lock(hashtext('bqx.unit'), hashtext('eurusd/bqx'))`);
        const pid = (await holder.query('select pg_backend_pid() as p')).rows[0].p;
        const r = await cli([
          'backfill',
          '--pairs',
          'eurusd',
          '--family',
          'bqx,bollinger_rate,bollinger_bqx,labels',
          '--from',
          '2024-07-01',
          '--to',
          '2024-07-04',
          '--database-url',
          db.url,
        ]);
        expect(r.code, r.stderr).toBe(7);
        expect(r.stderr).toMatch(/BQX_LOCKED: backfill did not complete: 0 unit\(s\) failed, 3 skipped/);
        expect(r.stderr).toMatch(new RegExp(`eurusd/bqx .*skipped \\(locked\\): locked by another session: pid ${pid} \\(the-holder`));
        expect(r.stderr).toMatch(/eurusd\/bollinger_bqx .*skipped \(dependency\): not run: it reads bqx, which was locked/);
        expect(r.stderr).toMatch(/eurusd\/labels .*skipped \(dependency\)/);
        expect(r.stdout).toMatch(/bollinger_rate\s+eurusd\s+\S+\s+\S+\s+ok/);
      } finally {
        await holder.query('rollback').catch(() => {});
        await holder.end();
      }
    },
    LONG,
  );

  it(
    'gives up a lock wait after BQX_LOCK_TIMEOUT as BQX_LOCKED (exit 7), naming the holder, and records it',
    async () => {
      const holder = new pg.Client({ connectionString: db.url, application_name: 'partition-maintenance' });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query(`select pg_advisory_xact_lock(hashtext('bqx.partitions'), hashtext('bollinger_rate.gbpusd'))`);
        const pid = (await holder.query('select pg_backend_pid() as p')).rows[0].p;
        const r = await cli(
          [
            'backfill',
            '--pairs',
            'gbpusd',
            '--family',
            'bollinger_rate',
            '--from',
            '2024-07-01',
            '--to',
            '2024-07-04',
            '--database-url',
            db.url,
          ],
          { BQX_LOCK_TIMEOUT: '1s' },
        );
        expect(r.code, r.stderr).toBe(7);
        expect(r.stderr).toMatch(
          new RegExp(`gbpusd/bollinger_rate: gave up waiting for a lock after lock_timeout; held by pid ${pid} \\(partition-maintenance`),
        );
        const rec = (
          await db.pool.query(
            `select error from bqx.refresh_runs where pair = 'gbpusd' and family = 'bollinger_rate' and status = 'error' order by id desc limit 1`,
          )
        ).rows[0];
        expect(rec.error).toMatch(/^BQX_LOCKED: gbpusd\/bollinger_rate: gave up waiting/);
      } finally {
        await holder.query('rollback').catch(() => {});
        await holder.end();
      }
      const bad = await cli(['status'], { BQX_LOCK_TIMEOUT: 'soon', DATABASE_URL: db.url });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/BQX_LOCK_TIMEOUT="soon" is not a duration/);
    },
    LONG,
  );
});
