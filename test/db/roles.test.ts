/**
 * The roles' rights (issue 14 item 8), tested as each role through login roles of its own: a reader runs
 * `bqx verify` and `bqx doctor` read-only (the causality spot checks, which recompute and roll back, are
 * reported as not run for it); no role below the writer can take an advisory lock in the store's
 * database, so none can stall an ingest or make a backfill skip units; the writer ingests and refreshes
 * but cannot rewrite the configuration (settings, pairs, families, catalog, holidays, object records).
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePool } from '../../src/db/connect.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { refreshableFamilies, refreshFamily } from '../../src/runner/refreshFamily.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { bqxCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { createLogin } from '../support/logins.ts';

const PAIRS = ['eurusd', 'gbpusd'];
const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 3);
const PASSWORD = 'bqx-roles-test';

/** Every signature of the functions that take an advisory lock. */
const LOCK_CALLS = [
  'pg_advisory_lock(1)',
  'pg_advisory_lock(1, 2)',
  'pg_advisory_lock_shared(1)',
  'pg_advisory_lock_shared(1, 2)',
  'pg_advisory_xact_lock(1)',
  'pg_advisory_xact_lock(1, 2)',
  'pg_advisory_xact_lock_shared(1)',
  'pg_advisory_xact_lock_shared(1, 2)',
  'pg_try_advisory_lock(1)',
  'pg_try_advisory_lock(1, 2)',
  'pg_try_advisory_lock_shared(1)',
  'pg_try_advisory_lock_shared(1, 2)',
  'pg_try_advisory_xact_lock(1)',
  'pg_try_advisory_xact_lock(1, 2)',
  'pg_try_advisory_xact_lock_shared(1)',
  'pg_try_advisory_xact_lock_shared(1, 2)',
];

const bqx = bqxCli();

describe('roles', () => {
  const t = useTestDatabase();
  const suffix = crypto.randomBytes(4).toString('hex');
  const reader = `bqx_t_reader_${suffix}`;
  const writer = `bqx_t_writer_${suffix}`;
  let readerUrl: string;
  let writerUrl: string;

  beforeAll(async () => {
    readerUrl = await createLogin(t.pool, t.url, reader, 'bqx_reader', PASSWORD);
    writerUrl = await createLogin(t.pool, t.url, writer, 'bqx_writer', PASSWORD);
    const file = tmpPath('roles.csv');
    await synthToFile(file, { seed: 11, from: FROM, to: TO, pairs: PAIRS });
    // the writer's own path: ingest and backfill as the writer
    const w = makePool(writerUrl, 3);
    try {
      await ingestSource(w, openSource(file));
      const res = await runPairs(w, PAIRS, rangePlan(refreshableFamilies(), FROM, TO), { concurrency: 2, trigger: 'backfill' });
      expect(res.filter((r) => r.status !== 'ok')).toEqual([]);
    } finally {
      await w.end();
    }
  }, 600_000);

  afterAll(async () => {
    await t.pool.query(`drop role if exists ${reader}`).catch(() => {});
    await t.pool.query(`drop role if exists ${writer}`).catch(() => {});
  });

  it('lets a reader run verify: every check but the recompute, which is reported as not run', async () => {
    const r = await bqx(readerUrl, 'verify', '--samples', '4', '--json');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout);
    const by = Object.fromEntries(out.checks.map((c: { check: string }) => [c.check, c]));
    expect(by.causality_spot_checks.status).toBe('skipped');
    expect(by.causality_spot_checks.note).toContain(`not run for role ${reader}`);
    expect(by.causality_spot_checks.note).toMatch(/bqx_writer/);
    expect(by.regression_r2_majority.status).toBe('info');
    for (const c of out.checks)
      if (!['causality_spot_checks', 'regression_r2_majority'].includes(c.check)) expect(c.status, c.check).toBe('pass');
    // the writer runs the recompute on the same store
    const w = JSON.parse((await bqx(writerUrl, 'verify', '--samples', '4', '--json')).stdout);
    expect(w.checks.find((c: { check: string }) => c.check === 'causality_spot_checks')).toMatchObject({
      status: 'pass',
      note: expect.stringMatching(/^4 sampled bars/),
    });
  }, 600_000);

  it('lets a reader see a violation too (exit 8)', async () => {
    await t.pool.query(`update bqx.technical_rate set rsi_14 = 101 where pair = 'gbpusd' and ts_utc = '2024-07-02 09:00+00'`);
    try {
      const r = await bqx(readerUrl, 'verify', '--samples', '0');
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(/verify failed: oscillator_ranges$/m);
    } finally {
      await refreshFamily(t.pool, 'technical_rate', 'gbpusd', { from: FROM, to: TO });
    }
  }, 600_000);

  it('lets a reader run doctor, read-only', async () => {
    const r = await bqx(readerUrl, 'doctor');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^ok: \d+ migrations, \d+ sql\/ files, 16 families match the database/);
    // and the owner's doctor says the same
    expect((await bqx(t.url, 'doctor')).stdout).toBe(r.stdout);
  }, 600_000);

  it("keeps every advisory lock out of a reader's reach, and in the writer's", async () => {
    const c = new pg.Client({ connectionString: readerUrl });
    const w = new pg.Client({ connectionString: writerUrl });
    await c.connect();
    await w.connect();
    try {
      for (const call of LOCK_CALLS) {
        await expect(c.query(`select ${call}`), call).rejects.toThrow(/permission denied for function pg_/);
      }
      // the unit key the runner uses, in particular
      await expect(c.query(`select pg_advisory_lock(hashtext('bqx.unit'), hashtext('eurusd/bqx'))`)).rejects.toThrow(/permission denied/);
      expect(
        (await c.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`)).rows[0].n,
      ).toBe(0);
      await w.query('begin');
      for (const call of LOCK_CALLS.filter((x) => x.includes('xact'))) await w.query(`select ${call}`);
      await w.query('rollback');
      // a session lock the writer takes is the one a reader could never have held
      expect((await w.query(`select pg_try_advisory_lock(hashtext('bqx.unit'), hashtext('eurusd/bqx')) as ok`)).rows[0].ok).toBe(true);
      expect((await w.query(`select pg_advisory_unlock(hashtext('bqx.unit'), hashtext('eurusd/bqx')) as ok`)).rows[0].ok).toBe(true);
    } finally {
      await c.end();
      await w.end();
    }
  }, 600_000);

  it('lets the writer write data, not configuration', async () => {
    const w = new pg.Client({ connectionString: writerUrl });
    await w.connect();
    const refused = async (q: string) => {
      await w.query('savepoint s');
      await expect(w.query(q), q).rejects.toThrow(/permission denied for table/);
      await w.query('rollback to savepoint s');
    };
    try {
      await w.query('begin');
      await refused(`update bqx.settings set value = value`);
      await refused(`insert into bqx.settings (key, value, description) values ('x', 'y', 'z')`);
      await refused(`delete from bqx.settings`);
      await refused(`update bqx.pairs set pip_size = pip_size`);
      await refused(`delete from bqx.pairs where pair = 'eurusd'`);
      await refused(`update bqx.families set lookback_bars = 0`);
      await refused(`delete from bqx.feature_catalog`);
      await refused(`update bqx.feature_catalog set formula = 'x'`);
      await refused(`delete from bqx.holidays`);
      await refused(`update bqx.sql_objects set checksum = 'x'`);
      await refused(`delete from bqx.sql_objects`);
      await refused(`truncate bqx.sql_objects`);
      // the data it does write
      expect((await w.query(`update bqx.watermarks set failures = failures where pair = 'eurusd'`)).rowCount).toBeGreaterThan(0);
      expect((await w.query(`delete from bqx.refresh_runs where false`)).rowCount).toBe(0);
      expect((await w.query(`update bqx.m1 set volume = volume where pair = 'eurusd' and ts_utc = '2024-07-01 10:00+00'`)).rowCount).toBe(
        1,
      );
      // it still reads the configuration
      expect((await w.query(`select count(*)::int as n from bqx.pairs`)).rows[0].n).toBe(28);
      await w.query('rollback');
    } finally {
      await w.query('rollback').catch(() => {});
      await w.end();
    }
  }, 600_000);

  it('keeps a reader read-only while it verifies: nothing in the store changed', async () => {
    const fingerprint = async () =>
      (
        await t.pool.query(
          `select (select count(*) from bqx.m1)::int as m1, (select count(*) from bqx.refresh_runs)::int as runs, (select max(refreshed_through) from bqx.watermarks) as wm, (select sum(mean_20) from bqx.statistics_rate) as s`,
        )
      ).rows[0];
    const before = await fingerprint();
    expect((await bqx(readerUrl, 'verify', '--samples', '3')).code).toBe(0);
    expect(await fingerprint()).toEqual(before);
  }, 600_000);
});
