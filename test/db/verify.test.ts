/**
 * `bqx verify` (issue 22 item 3, issue 14 item 9): a healthy synthetic store verifies with exit 0 (the
 * regression criterion is reported as information, with the numbers of bqx.reg_r2_summary), an injected
 * NaN or a hole in a feature still exits 8, a line per check goes to stderr (JSON lines with --json), and
 * a client that stops (SIGINT, SIGTERM, or killed outright) leaves no query of its own on the server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SQL_DIR } from '../../src/db/paths.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { refreshableFamilies, refreshFamily } from '../../src/runner/refreshFamily.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { VerifyInterrupted, verify, WARMUP_BARS } from '../../src/verify/verify.ts';
import { bqxCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

const PAIRS = ['eurusd', 'usdjpy'];
const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 4);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');

const bqx = bqxCli();

const sqlCheckNames = () =>
  fs
    .readdirSync(path.join(SQL_DIR, 'checks'))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort();

describe('bqx verify', () => {
  const t = useTestDatabase();
  let monitor: pg.Client;

  beforeAll(async () => {
    const file = tmpPath('verify.csv');
    await synthToFile(file, { seed: 5, from: FROM, to: TO, pairs: PAIRS });
    await ingestSource(t.pool, openSource(file));
    const res = await runPairs(t.pool, PAIRS, rangePlan(refreshableFamilies(), FROM, TO), { concurrency: 2, trigger: 'backfill' });
    expect(res.every((r) => r.status === 'ok')).toBe(true);
    monitor = new pg.Client({ connectionString: t.url });
    await monitor.connect();
  }, 600_000);

  afterAll(async () => {
    await monitor?.end();
  });

  it('passes a healthy store with exit 0, one progress line per check, the criterion as information', async () => {
    const r = await bqx(t.url, 'verify', '--samples', '4', '--json');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    const names = out.checks.map((c: { check: string }) => c.check);
    // every sql/checks file runs, then the TypeScript checks
    expect(names).toEqual([...sqlCheckNames(), 'missing_share_after_warmup', 'regression_r2_majority', 'causality_spot_checks']);
    for (const c of out.checks)
      if (c.check !== 'regression_r2_majority') expect(c.status, `${c.check}: ${JSON.stringify(c.rows)}`).toBe('pass');
    const crit = out.checks.find((c: { check: string }) => c.check === 'regression_r2_majority');
    expect(crit.status).toBe('info');
    expect(crit.ok).toBe(true);
    // the synthetic random walk does not meet the plan's criterion: reported, with the view's numbers
    const view = (
      await t.pool.query(
        `select domain, window_name, sum(fits)::float8 as fits, sum(share_r2_above_0_7 * fits) / sum(fits) as share from bqx.reg_r2_summary group by 1, 2 order by 1, 2`,
      )
    ).rows;
    const below = view.filter((v) => v.share <= 0.5);
    expect(below.length).toBeGreaterThan(0);
    expect(crit.violations).toBe(below.length);
    expect(crit.note).toMatch(new RegExp(`not met for ${below.length} of ${view.length}`));
    for (const row of crit.rows) {
      const v = view.find((x) => x.domain === row.domain && x.window_name === row.window_name)!;
      expect(Number(row.fits)).toBe(v.fits);
      expect(row.share).toBeCloseTo(v.share, 12);
    }
    expect(out.checks.find((c: { check: string }) => c.check === 'causality_spot_checks').note).toMatch(/^4 sampled bars/);
    // progress: a JSON line per check on stderr, each with its time
    const lines = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.check).sort()).toEqual([...names].sort());
    for (const l of lines) {
      expect(l.event).toBe('check');
      expect(l.seconds).toBeGreaterThanOrEqual(0);
      expect(l.total).toBe(names.length);
    }
    expect(lines.map((l) => l.done)).toEqual(names.map((_: string, i: number) => i + 1));

    // text mode: one line per check, then the table
    const text = await bqx(t.url, 'verify', '--samples', '0');
    expect(text.code, text.stderr).toBe(0);
    const progress = text.stderr.split('\n').filter((l) => l.startsWith('verify ['));
    expect(progress).toHaveLength(names.length);
    for (const l of progress) expect(l).toMatch(/^verify \[\s*\d+\/\d+\] [a-z0-9_]+: (pass|info|skipped) in \d+\.\d s$/);
    expect(text.stdout).toMatch(/regression_r2_majority\s+info/);
  }, 600_000);

  it('still exits 8 on an injected NaN, naming the row', async () => {
    const at = new Date('2024-07-02T11:00:00Z');
    const before = (await t.pool.query(`select mean_50 from bqx.statistics_rate where pair = 'usdjpy' and ts_utc = $1`, [at])).rows[0]
      .mean_50;
    expect(Number.isFinite(before)).toBe(true);
    await t.pool.query(`update bqx.statistics_rate set mean_50 = 'NaN' where pair = 'usdjpy' and ts_utc = $1`, [at]);
    try {
      const r = await bqx(t.url, 'verify', '--samples', '0');
      expect(r.code).toBe(8);
      expect(r.stdout).toMatch(/no_nan_or_infinity: 1 violation/);
      expect(r.stdout).toMatch(/"column_name":"mean_50"/);
      expect(r.stderr).toMatch(/BQX_VERIFY: verify failed: no_nan_or_infinity$/m);
    } finally {
      await t.pool.query(`update bqx.statistics_rate set mean_50 = $2 where pair = 'usdjpy' and ts_utc = $1`, [at, before]);
    }
  }, 600_000);

  it('counts the missing share of every column after the warm-up, once per family', async () => {
    // 2% of eurusd's bars past the warm-up lose their statistics_rate.mean_50 (NULL only during warm-up)
    const start = (
      await t.pool.query(`select ts_utc from bqx.m1 where pair = 'eurusd' order by ts_utc offset $1 - 1 limit 1`, [WARMUP_BARS])
    ).rows[0].ts_utc;
    const total = (await t.pool.query(`select count(*)::int as n from bqx.statistics_rate where pair = 'eurusd' and ts_utc >= $1`, [start]))
      .rows[0].n;
    const holes = Math.ceil(total * 0.02);
    await t.pool.query(
      `update bqx.statistics_rate set mean_50 = null where pair = 'eurusd' and ts_utc in (select ts_utc from bqx.statistics_rate where pair = 'eurusd' and ts_utc >= $1 order by ts_utc desc limit $2)`,
      [start, holes],
    );
    try {
      const r = await verify(t.pool, { samples: 0 });
      const c = r.checks.find((x) => x.check === 'missing_share_after_warmup')!;
      expect(c.status).toBe('fail');
      expect(r.ok).toBe(false);
      expect(c.rows).toEqual([
        { family: 'statistics_rate', column: 'mean_50', pair: 'eurusd', missingShare: expect.closeTo(holes / total, 12) },
      ]);
    } finally {
      await refreshFamily(t.pool, 'statistics_rate', 'eurusd', { from: FROM, to: TO });
    }
    expect((await verify(t.pool, { samples: 0 })).ok).toBe(true);
  }, 600_000);

  it('cancels its queries on the server when aborted in-process', async () => {
    const locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table bqx.m1 in access exclusive mode');
      const stop = new AbortController();
      const running = verify(t.pool, { samples: 0, signal: stop.signal });
      await waitFor(
        () => verifyBackends(t.name, 'Lock'),
        (n) => n > 0,
      );
      stop.abort('test');
      const err = await running.catch((e) => e);
      expect(err).toBeInstanceOf(VerifyInterrupted);
      expect((err as VerifyInterrupted).cancelled.length).toBeGreaterThan(0);
      expect(await verifyBackends(t.name)).toBe(0);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  }, 600_000);

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGKILL', null],
  ] as const) {
    it(`leaves no query of its own on the server after ${signal}`, async () => {
      const locker = new pg.Client({ connectionString: t.url });
      await locker.connect();
      try {
        // the first check that reads bqx.m1 waits on this lock: a query that would run forever
        await locker.query('begin');
        await locker.query('lock table bqx.m1 in access exclusive mode');
        const child = spawn(process.execPath, [BIN, 'verify', '--samples', '0', '--database-url', t.url], {
          env: { ...process.env, DATABASE_URL: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (b) => {
          stderr += b;
        });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
        await waitFor(
          () => verifyBackends(t.name, 'Lock'),
          (n) => n > 0,
        );
        child.kill(signal);
        const exitCode = await exited;
        if (code !== null) {
          expect(exitCode, stderr).toBe(code);
          expect(stderr).toMatch(new RegExp(`verify interrupted \\(${signal}\\); \\d+ running statement\\(s\\) cancelled on the server`));
          expect(await verifyBackends(t.name)).toBe(0);
        } else {
          // killed outright: the server notices the lost client (client_connection_check_interval) and
          // ends its query, although the lock it waits for is still held
          expect(
            await waitFor(
              () => verifyBackends(t.name),
              (n) => n === 0,
            ),
          ).toBe(0);
        }
        const waiting = (
          await monitor.query(
            `select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid) where a.datname = $1 and not l.granted`,
            [t.name],
          )
        ).rows[0].n;
        expect(waiting).toBe(0);
      } finally {
        await locker.query('rollback');
        await locker.end();
      }
    }, 600_000);
  }

  /** Backends of verify's sessions (application_name 'bqx verify') in the database, optionally only those waiting on `waitType`. */
  async function verifyBackends(db: string, waitType?: string): Promise<number> {
    return (
      await monitor.query(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'bqx verify' and state <> 'idle' and ($2::text is null or wait_event_type = $2)`,
        [db, waitType ?? null],
      )
    ).rows[0].n;
  }
});

/** Polls until `ok` holds (a generous deadline for a busy machine; no timing is asserted). */
async function waitFor(probe: () => Promise<number>, ok: (n: number) => boolean): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const n = await probe();
    if (ok(n) || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 200));
  }
}
