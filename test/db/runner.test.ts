/**
 * The runner (issue 7): incremental refresh from watermarks against a full recompute, a late bar
 * recomputing exactly its span, two runners at once, kill -9 in the middle of a backfill, a failing unit
 * recorded and retried with backoff while the others carry on, the scheduled runner with a watched
 * directory stopping cleanly on SIGTERM, and `status`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePool } from '../../src/db/connect.ts';
import { ROOT } from '../../src/db/paths.ts';
import { CROSS_SECTIONAL, family } from '../../src/features/catalog/index.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { ALL_PAIRS, readsCross } from '../../src/runner/planCross.ts';
import { forwardSpan } from '../../src/runner/planIncremental.ts';
import { refreshableFamilies, refreshFamily } from '../../src/runner/refreshFamily.ts';
import { incrementalPlan, rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { status } from '../../src/runner/status.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { createDatabase, useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import type { Row } from '../support/reference/bqxReference.ts';
import { compareRows } from '../support/reference/compare.ts';
import { regCompareOptions } from '../support/reference/regAllowance.ts';

const PAIRS = ['eurusd', 'gbpusd'];
const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 3, 12);
const LATE = '2024-07-02T10:17:00.000Z';
const FAMS = refreshableFamilies();
const TS_FAMS = new Set(['technical_rate', 'technical_bqx']);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');

/** The fixture split in three files: everything but the last 5 minutes and one late bar; the late bar; the last 5 minutes. */
async function fixtures(): Promise<{ main: string; late: string; tail: string; all: string }> {
  const all = tmpPath('runner-all.csv');
  await synthToFile(all, { seed: 21, from: FROM, to: TO, pairs: PAIRS });
  const lines = fs.readFileSync(all, 'utf8').trimEnd().split('\n');
  const header = lines[0];
  const body = lines.slice(1);
  const cut = new Date(TO - 5 * 60_000).toISOString();
  const isLate = (l: string) => l.startsWith('eurusd,') && l.split(',')[1].startsWith(LATE.slice(0, 19));
  const isTail = (l: string) => l.split(',')[1] >= cut;
  const write = (name: string, rows: string[]) => {
    const p = tmpPath(name);
    fs.writeFileSync(p, [header, ...rows].join('\n') + '\n');
    return p;
  };
  const late = body.filter(isLate);
  expect(late).toHaveLength(1);
  return {
    main: write(
      'runner-main.csv',
      body.filter((l) => !isLate(l) && !isTail(l)),
    ),
    late: write('runner-late.csv', late),
    tail: write('runner-tail.csv', body.filter(isTail)),
    all,
  };
}

describe('the runner', () => {
  const t = useTestDatabase();
  let files: Awaited<ReturnType<typeof fixtures>>;
  const rows = async (fam: string, pool = t.pool): Promise<Row[]> =>
    (await pool.query(`select * from bqx.${fam} order by pair, ts_utc`)).rows;
  const digest = async (fam: string, pool = t.pool) =>
    (await pool.query(`select md5(string_agg(x::text, '|' order by pair, ts_utc)) as h, count(*)::int as n from bqx.${fam} x`)).rows[0];
  const incremental = (pool = t.pool, concurrency = 2) => runPairs(pool, PAIRS, incrementalPlan(FAMS), { concurrency, trigger: 'refresh' });
  /** Every family recomputed over the whole series, in place; returns the rows before the recompute. */
  const againstFullRecompute = async () => {
    const before = Object.fromEntries(await Promise.all(FAMS.map(async (f) => [f, await rows(f)])));
    for (const p of PAIRS) for (const f of FAMS) await refreshFamily(t.pool, f, p, { from: FROM, to: TO });
    for (const f of FAMS) {
      const after = await rows(f);
      expect(before[f].length, f).toBe(after.length);
      // rows past a late bar's span keep their values up to rounding (their block alignment moved by one
      // row): the regression ratios are judged by the error their inputs allow, as in the features tests
      const opts = f.startsWith('reg_') ? regCompareOptions(after, f === 'reg_rate' ? 'idx' : 'bqx', 1e-9) : { rel: 1e-9 };
      expect(
        compareRows(
          before[f],
          after,
          family(f).columns.map((c) => c.name),
          opts,
        ),
        f,
      ).toEqual([]);
    }
  };

  beforeAll(async () => {
    files = await fixtures();
    await ingestSource(t.pool, openSource(files.main));
  });

  it('refreshes every family from scratch, then only the new bars, and matches a full recompute', async () => {
    const first = await incremental();
    expect(first.every((r) => r.status === 'ok')).toBe(true);
    // and the cross-section's two units (currency_strength, cross_returns: one each for the set of pairs)
    expect(first).toHaveLength(PAIRS.length * FAMS.length + CROSS_SECTIONAL.length);
    const marks = (await t.pool.query(`select count(*)::int as n, count(distinct refreshed_through)::int as d from bqx.watermarks`))
      .rows[0];
    expect(marks).toEqual({ n: PAIRS.length * FAMS.length, d: 1 });
    // nothing new: nothing to do
    expect(await incremental()).toEqual([]);

    await ingestSource(t.pool, openSource(files.tail));
    const second = await incremental();
    expect(second.every((r) => r.status === 'ok')).toBe(true);
    const lastOld = Date.parse('2024-07-03T11:54:00Z');
    expect(second).toHaveLength(PAIRS.length * FAMS.length + CROSS_SECTIONAL.length);
    for (const r of second) {
      if (r.family === 'labels') {
        expect(r.rows, 'labels re-read 75 bars back').toBe(80);
      } else {
        expect(r.from, r.family).toBe(lastOld + 1);
        // currency_strength: 8 currencies per grid minute
        expect(r.rows, r.family).toBe(r.family === 'currency_strength' ? 40 : 5);
      }
    }
    // SQL families read block-aligned history: bit for bit what a full recompute gives
    const sqlDigests = Object.fromEntries(await Promise.all(FAMS.filter((f) => !TS_FAMS.has(f)).map(async (f) => [f, await digest(f)])));
    await againstFullRecompute();
    for (const [f, d] of Object.entries(sqlDigests)) expect(await digest(f), f).toEqual(d);
  });

  it('recomputes exactly the span a late bar reaches, and matches a full recompute', async () => {
    await ingestSource(t.pool, openSource(files.late));
    const dirty = (await t.pool.query(`select family, dirty_from from bqx.watermarks where pair = 'eurusd'`)).rows;
    expect(dirty.every((r) => r.dirty_from?.toISOString() === LATE)).toBe(true);
    expect(
      (await t.pool.query(`select count(*)::int as n from bqx.watermarks where pair = 'gbpusd' and dirty_from is not null`)).rows[0].n,
    ).toBe(0);
    const all = await incremental();
    expect(all.filter((r) => r.status !== 'ok')).toEqual([]);
    // a bar of eurusd changes the cross-section and so every pair's correlation_features (README,
    // "Cross-pair families"); the pair-local families of eurusd only, each over exactly its reach
    expect(all.filter((r) => r.pair !== 'eurusd' && !readsCross(r.family) && r.pair !== ALL_PAIRS)).toEqual([]);
    expect(
      all
        .filter((r) => r.pair === ALL_PAIRS)
        .map((r) => r.family)
        .sort(),
    ).toEqual(['cross_returns', 'currency_strength']);
    expect(
      all
        .filter((r) => readsCross(r.family))
        .map((r) => r.pair)
        .sort(),
    ).toEqual([...PAIRS].sort());
    const res = all.filter((r) => r.pair === 'eurusd' && !readsCross(r.family));
    const bars = (await t.pool.query(`select ts_utc from bqx.m1 where pair = 'eurusd' order by ts_utc`)).rows.map((r) =>
      (r.ts_utc as Date).getTime(),
    );
    const at = bars.indexOf(Date.parse(LATE));
    for (const r of res) {
      const span = forwardSpan(r.family);
      const startIdx = r.family === 'labels' ? at - 75 : at;
      expect(r.from, r.family).toBe(bars[startIdx]);
      expect(r.to, r.family).toBe(span === Infinity ? bars[bars.length - 1] + 60_000 : bars[at + span] + 60_000);
    }
    expect((await t.pool.query(`select count(*)::int as n from bqx.watermarks where dirty_from is not null`)).rows[0].n).toBe(0);
    await againstFullRecompute();
  });

  it('lets two runners work at once: no unit computed twice, no deadlock, the same tables', async () => {
    // new history for both pairs: a second database of the same template, ingested in two steps
    const db = await createDatabase();
    const other = makePool(db.url, 6);
    try {
      await ingestSource(db.pool, openSource(files.all));
      const [a, b] = await Promise.all([incremental(db.pool), incremental(other)]);
      const all = [...a, ...b];
      expect(all.filter((r) => r.status === 'error')).toEqual([]);
      const ok = all.filter((r) => r.status === 'ok').map((r) => `${r.pair}/${r.family}/${r.from}`);
      expect(new Set(ok).size).toBe(ok.length);
      // whatever one runner skipped, a later pass completes; then the tables are those of one runner
      await incremental(db.pool);
      expect(await incremental(other)).toEqual([]);
      for (const f of FAMS.filter((x) => !TS_FAMS.has(x))) expect(await digest(f, db.pool), f).toEqual(await digest(f));
    } finally {
      await other.end();
      await db.drop();
    }
  });

  it('survives kill -9 in the middle of a backfill: the rerun leaves the tables of a clean run', async () => {
    const db = await createDatabase();
    try {
      await ingestSource(db.pool, openSource(files.all));
      const child = spawn(
        process.execPath,
        [BIN, 'backfill', '--pairs', PAIRS.join(','), '--from', '2024-07-01', '--to', '2024-07-04', '--concurrency', '2', '--json'],
        { env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore' },
      );
      const exited = new Promise((resolve) => child.on('exit', resolve));
      for (let i = 0; i < 600; i++) {
        const n = (await db.pool.query(`select count(*)::int as n from bqx.refresh_runs where status = 'ok'`)).rows[0].n;
        if (n >= 5) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      await exited;
      // the killed client's server backend rolls back and releases its unit lock once it notices
      for (let i = 0; i < 600; i++) {
        const held = (
          await db.pool.query(
            `select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
          )
        ).rows[0].n;
        if (held === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const done = (await db.pool.query(`select count(*)::int as n from bqx.refresh_runs where status = 'ok'`)).rows[0].n;
      expect(done).toBeGreaterThanOrEqual(5);
      expect(done).toBeLessThan(PAIRS.length * FAMS.length);
      // the rerun: incremental, from whatever watermarks the killed run committed
      const rerun = await incremental(db.pool);
      expect(rerun.every((r) => r.status === 'ok')).toBe(true);
      expect(rerun.length).toBe(PAIRS.length * FAMS.length + CROSS_SECTIONAL.length - done);
      // a clean run in a third database
      const clean = await createDatabase();
      try {
        await ingestSource(clean.pool, openSource(files.all));
        await runPairs(clean.pool, PAIRS, rangePlan(FAMS, Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 4)), {
          concurrency: 2,
          trigger: 'backfill',
        });
        for (const f of FAMS) expect(await digest(f, db.pool), f).toEqual(await digest(f, clean.pool));
      } finally {
        await clean.drop();
      }
    } finally {
      await db.drop();
    }
  });

  it('records a failing unit with its error, backs off, carries on with the others, and retries', async () => {
    // the earlier tests stored these bars already (unchanged) unless this test runs alone (inserted):
    // either way every bar is accounted for and none is refused
    const again = await ingestSource(t.pool, openSource(files.all));
    expect(again.rejected).toBe(0);
    expect(again.inserted + again.unchanged).toBeGreaterThan(0);
    expect((await t.pool.query(`select count(*)::int as n from bqx.m1`)).rows[0].n).toBe(again.inserted + again.unchanged);
    await t.pool.query(
      `update bqx.watermarks set refreshed_through = refreshed_through - interval '1 hour' where family in ('spread_features', 'time_features')`,
    );
    await t.pool.query(`alter function bqx.refresh_spread_features(text, timestamptz, timestamptz) rename to refresh_spread_features_off`);
    try {
      const res = await incremental();
      const spread = res.filter((r) => r.family === 'spread_features');
      expect(spread.map((r) => r.status)).toEqual(['error', 'error']);
      expect(spread[0].error).toMatch(/refresh_spread_features/);
      expect(res.filter((r) => r.family === 'time_features').map((r) => r.status)).toEqual(['ok', 'ok']);
      const w = (
        await t.pool.query(`select failures, retry_at > now() as later, last_error from bqx.watermarks where family = 'spread_features'`)
      ).rows;
      expect(w.every((r) => r.failures === 1 && r.later && /refresh_spread_features/.test(r.last_error))).toBe(true);
      const logged = (
        await t.pool.query(
          `select count(*)::int as n from bqx.refresh_runs where family = 'spread_features' and status = 'error' and error like '%refresh_spread_features%'`,
        )
      ).rows[0].n;
      expect(logged).toBe(2);
      // in backoff: the next pass leaves it alone
      expect((await incremental()).filter((r) => r.family === 'spread_features')).toEqual([]);
    } finally {
      await t.pool.query(
        `alter function bqx.refresh_spread_features_off(text, timestamptz, timestamptz) rename to refresh_spread_features`,
      );
    }
    await t.pool.query(`update bqx.watermarks set retry_at = now() - interval '1 second' where family = 'spread_features'`);
    const retry = await incremental();
    expect(retry.filter((r) => r.family === 'spread_features').map((r) => r.status)).toEqual(['ok', 'ok']);
    expect((await t.pool.query(`select max(failures)::int as f from bqx.watermarks where family = 'spread_features'`)).rows[0].f).toBe(0);
  });

  it('runs on a schedule from a watched directory and stops cleanly on SIGTERM', async () => {
    const db = await createDatabase();
    try {
      const dir = tmpPath('runner-watch');
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(files.all, path.join(dir, 'bars.csv'));
      const child = spawn(
        process.execPath,
        [BIN, 'runner', '--schedule', '*/1 * * * * *', '--watch', dir, '--pairs', 'eurusd', '--family', 'bqx,time_features,labels'],
        { env: { ...process.env, DATABASE_URL: db.url }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let log = '';
      child.stderr.on('data', (d) => {
        log += d;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // the first ticks may find the file not yet settled (ingest_deferred): wait for the tick that ingested it
      for (let i = 0; i < 2400 && !log.includes('"event":"tick","files":1'); i++) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGTERM');
      expect(await exited, log).toBe(0);
      expect(log).toContain('"event":"stopping"');
      expect((await db.pool.query(`select count(*)::int as n from bqx.ingested_files`)).rows[0].n).toBe(1);
      const units = (
        await db.pool.query(`select family, status from bqx.refresh_runs where trigger = 'runner' and pair = 'eurusd' order by id`)
      ).rows;
      expect(units.map((u) => u.family)).toEqual(['bqx', 'time_features', 'labels']);
      expect(units.every((u) => u.status === 'ok')).toBe(true);
      // nothing holds a lock after the exit
      expect(
        (
          await db.pool.query(
            `select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
          )
        ).rows[0].n,
      ).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it("reports the plan's daily metrics", async () => {
    const s = await status(t.pool);
    // 433 + fibonacci_features + correlation_features; with two pairs no currency has all 7 of its pairs
    // (no strength: NULL), but the columns of the two pairs' returns, peers and residual are computed: 469
    expect(s.features).toMatchObject({ populated: 469, total: 543 });
    // the cross-section: held at the earlier of the two pairs' last bars, both families there
    const last = (await t.pool.query('select max(ts_utc) as t from bqx.m1 group by pair order by 1 limit 1')).rows[0].t as Date;
    expect(s.crossSection.horizon).toEqual(last);
    expect(s.crossSection.families.map((f) => [f.family, f.watermark?.getTime(), f.dirty_spans])).toEqual([
      ['cross_returns', last.getTime(), 0],
      ['currency_strength', last.getTime(), 0],
    ]);
    expect(s.r2).toHaveLength(12);
    expect(s.r2.every((r) => r.fits > 0 && r.avgR2 !== null)).toBe(true);
    expect(s.runs.unitsFailed).toBe(2);
    expect(s.runs.recentErrors).toHaveLength(2);
    const bqx = s.stages.find((r) => r.family === 'bqx')!;
    expect(bqx).toMatchObject({ pairs_with_bars: 2, pairs_current: 2, pairs_dirty: 0, pairs_in_backoff: 0, last_status: 'ok' });
    expect(s.partitions.created).toBeGreaterThan(0);
    expect(s.partitions.avgRowsPerM1Partition).toBeGreaterThan(1000);
  });
});
