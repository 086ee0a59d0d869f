/**
 * History that arrives behind the watermark (issue 14, item 1): the second 'week' (here two days) of a pair
 * loaded and refreshed before the first; both loaded and only the second backfilled; one late bar. Each store
 * ends with every bar's row in every family, and equal to a clean build in bar order in another database:
 * bit for bit for m1 and the SQL families, within 1e-9 for the TypeScript ones. The baseline of a pair
 * whose late bars precede the bar B came from is listed by status and moved by a re-base. A hole the
 * dirty spans do not know about (rows deleted by hand) is found by the completeness check and healed by
 * `bqx refresh`.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SQL_DIR } from '../../src/db/paths.ts';
import { CROSS_SECTIONAL } from '../../src/features/catalog/index.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { baselineMoves, rebasePairs } from '../../src/runner/rebase.ts';
import { refreshableFamilies } from '../../src/runner/refreshFamily.ts';
import { completeness, outcomeError, runAndCheck } from '../../src/runner/refreshUntilComplete.ts';
import { incrementalPlan, rangePlan } from '../../src/runner/runPairs.ts';
import { status } from '../../src/runner/status.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { cloneDatabase, createDatabase, type TestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { expectSameStore, tableDigest } from '../support/sameStore.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');
const PAIR = 'eurusd';
// Monday 1 to Friday 5 July 2024: two days before MID and two after (2880 bars each), each longer than
// the longest window of bars a family reads (fibonacci_features' 1440), so a reach ends inside the series.
const FROM = Date.UTC(2024, 6, 1);
const MID = Date.UTC(2024, 6, 3);
const TO = Date.UTC(2024, 6, 5);
const LATE = '2024-07-03T10:17';
/** The hand-deleted spans of the last test: a day of reg_rate in the first half, an hour of bqx in the second. */
const GONE = [
  { family: 'reg_rate', from: '2024-07-02T00:00Z', to: '2024-07-03T00:00Z' },
  { family: 'bqx', from: '2024-07-04T12:00Z', to: '2024-07-04T13:00Z' },
];
const FAMS = refreshableFamilies();
/**
 * The end of a unit recomputing a change at bar index i: the series' end for the families numbered by
 * row (running-sum blocks) and the TypeScript ones; bars of reach for the two that read windows of bars
 * only (time_features one bar back, fibonacci_features its 1440-bar swing window).
 */
const REACH: Record<string, number> = { time_features: 1, fibonacci_features: 1440 };
/**
 * correlation_features reads the cross-section, which a bar changes for the 5 minutes its price is carried
 * (README, "Cross-pair families"): its reach counts its lookback plus the strength's (240 + 240 bars) from
 * the first bar 5 minutes after the change.
 */
const CORR_REACH = 480;
const reachEnd = (bars: number[], i: number, fam: string) => {
  if (fam === 'correlation_features') {
    const j = bars.findIndex((b) => b >= bars[i] + 5 * 60_000);
    return (j < 0 ? bars.at(-1)! : bars[Math.min(j + CORR_REACH, bars.length - 1)]) + 60_000;
  }
  return bars[Math.min(i + (REACH[fam] ?? Infinity), bars.length - 1)] + 60_000;
};
const LONG = 900_000;

type Db = TestDatabase & { drop(): Promise<void> };

const refresh = (db: Db) =>
  runAndCheck(db.pool, [PAIR], incrementalPlan(FAMS), { concurrency: 1, trigger: 'refresh', checkCompleteness: true });
const digest = (db: Db, fam: string) => tableDigest(db.pool, fam);
/** The pair's bars in time order (ms). */
const barsOf = async (db: Db) =>
  (await db.pool.query(`select ts_utc from bqx.m1 where pair = $1 order by ts_utc`, [PAIR])).rows.map((r) => (r.ts_utc as Date).getTime());

describe('history behind the watermark', () => {
  let files: { all: string; week1: string; week2: string; withoutLate: string; late: string };
  let clean: Db;
  const dbs: Db[] = [];
  const fresh = async () => {
    const d = await createDatabase();
    dbs.push(d);
    return d;
  };

  /** Every family table (and m1) of `db` against the clean in-order build. */
  const expectSameAsClean = async (db: Db) => expectSameStore(db.pool, clean.pool, FAMS);

  beforeAll(async () => {
    const all = tmpPath('late-all.csv');
    await synthToFile(all, { seed: 14, from: FROM, to: TO, pairs: [PAIR] });
    const [header, ...body] = fs.readFileSync(all, 'utf8').trimEnd().split('\n');
    const write = (name: string, keep: (ts: string) => boolean) => {
      const p = tmpPath(name);
      fs.writeFileSync(p, [header, ...body.filter((l) => keep(l.split(',')[1]))].join('\n') + '\n');
      return p;
    };
    const mid = new Date(MID).toISOString();
    files = {
      all,
      week1: write('late-week1.csv', (ts) => ts < mid),
      week2: write('late-week2.csv', (ts) => ts >= mid),
      withoutLate: write('late-without.csv', (ts) => !ts.startsWith(LATE)),
      late: write('late-bar.csv', (ts) => ts.startsWith(LATE)),
    };
    expect(fs.readFileSync(files.late, 'utf8').trimEnd().split('\n')).toHaveLength(2);
    // the reference: everything loaded in bar order, then every family computed once
    clean = await fresh();
    await ingestSource(clean.pool, openSource(files.all));
    const out = await runAndCheck(clean.pool, [PAIR], rangePlan(FAMS, FROM, TO), {
      concurrency: 1,
      trigger: 'backfill',
      checkCompleteness: false,
    });
    expect(outcomeError(out, 'backfill')).toBeNull();
  }, LONG);

  // each scenario drops its database when done (see done()); the clean build goes last
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  }, LONG);
  const done = async (db: Db) => {
    dbs.splice(dbs.indexOf(db), 1);
    await db.drop();
  };

  it(
    'computes the first week in full when it arrives after the second was refreshed, and a re-base makes it the in-order store',
    async () => {
      const db = await fresh();
      await ingestSource(db.pool, openSource(files.week2));
      expect(outcomeError(await refresh(db), 'refresh')).toBeNull();
      await ingestSource(db.pool, openSource(files.week1));
      const second = await refresh(db);
      expect(outcomeError(second, 'refresh')).toBeNull();
      // every family recomputed from the first bar of week 1; time_features, whose values read one bar
      // back and do not depend on the row numbering, only as far as week 1 reaches
      const bars = await barsOf(db);
      const firstOfWeek2 = bars.find((b) => b >= MID)!;
      // the cross units run between the pair-local families and the one reading them
      const cross = CROSS_SECTIONAL.map((f) => f.family).filter((f) => second.units.some((u) => u.family === f));
      const withCross = [...FAMS.filter((f) => f !== 'correlation_features' && f !== 'labels'), 'labels', ...cross, 'correlation_features'];
      expect(second.units.map((u) => u.family)).toEqual(withCross);
      for (const u of second.units.filter((x) => !cross.includes(x.family))) {
        expect(u.status, u.family).toBe('ok');
        expect(u.from, u.family).toBe(bars[0]);
        // time_features and fibonacci_features (windows of bars, no row numbering) only as far as their lookback reaches
        expect(u.to, u.family).toBe(reachEnd(bars, bars.indexOf(firstOfWeek2) - 1, u.family));
        if (u.family in REACH) expect(u.to, `${u.family} reaches less than the series`).toBeLessThan(bars.at(-1)! + 60_000);
      }
      const m1 = (await db.pool.query(`select count(*)::int as n from bqx.m1`)).rows[0].n;
      for (const f of FAMS) expect((await digest(db, f)).n, f).toBe(m1);
      expect(second.incomplete).toEqual([]);
      expect((await db.pool.query(`select count(*)::int as n from bqx.dirty_ranges`)).rows[0].n).toBe(0);
      // B came from the first bar of week 2; an in-order load takes it from 2024-07-01 00:00
      const moves = await baselineMoves(db.pool, null);
      expect(moves.map((m) => [m.pair, m.base_ts.getTime(), m.new_base_ts.getTime()])).toEqual([[PAIR, firstOfWeek2, bars[0]]]);
      const s = await status(db.pool);
      expect(s.baselines.wouldMove.map((m) => m.pair)).toEqual([PAIR]);
      expect(s.completeness).toEqual({ complete: true, missingBars: 0, incomplete: [] });
      const text = (await run(process.execPath, [BIN, 'status', '--database-url', db.url])).stdout;
      expect(text).toMatch(/feature rows: complete/);
      expect(text).toMatch(/baselines that would move .*bqx rebase --pairs eurusd/);
      // the re-base (the documented command): B and every index move, every family is recomputed, and
      // the store is the in-order one
      const rb = JSON.parse(
        (await run(process.execPath, [BIN, 'rebase', '--pairs', PAIR, '--json', '--database-url', db.url], { maxBuffer: 1 << 24 })).stdout,
      );
      expect(rb.rebased).toEqual([
        expect.objectContaining({
          pair: PAIR,
          oldTs: new Date(firstOfWeek2).toISOString(),
          newTs: new Date(bars[0]).toISOString(),
          barsReindexed: m1,
        }),
      ]);
      // and the cross-section's two units (the rebase rewrote the pair's bars, which feed it)
      expect(rb.units).toBe(FAMS.length + CROSS_SECTIONAL.length);
      expect(await baselineMoves(db.pool, null)).toEqual([]);
      expect(await rebasePairs(db.pool, [PAIR])).toEqual([expect.objectContaining({ barsReindexed: 0 })]);
      await expectSameAsClean(db);
      await done(db);
    },
    LONG,
  );

  it(
    'computes what a backfill of the second week alone left out, and says so until then',
    async () => {
      const db = await fresh();
      await ingestSource(db.pool, openSource(files.all));
      const bf = await runAndCheck(db.pool, [PAIR], rangePlan(FAMS, MID, TO), {
        concurrency: 1,
        trigger: 'backfill',
        checkCompleteness: false,
      });
      expect(outcomeError(bf, 'backfill')).toBeNull();
      // the hole: week 1 has no rows in any family, per (pair, family, month)
      const holes = await completeness(db.pool, null, null);
      expect(holes.map((h) => h.family).sort()).toEqual([...FAMS].sort());
      const week1 = (await db.pool.query(`select count(*)::int as n from bqx.m1 where ts_utc < $1`, [new Date(MID)])).rows[0].n;
      expect(holes.every((h) => h.month === '2024-07' && h.missing === week1)).toBe(true);
      // the verify check returns the same rows
      const check = (await db.pool.query(fs.readFileSync(path.join(SQL_DIR, 'checks', 'feature_rows_complete.sql'), 'utf8'))).rows;
      expect(check.map((c) => [c.family, Number(c.missing)])).toEqual(holes.map((h) => [h.family, h.missing]));
      const out = await refresh(db);
      expect(outcomeError(out, 'refresh')).toBeNull();
      expect(out.incomplete).toEqual([]);
      await expectSameAsClean(db);
      await done(db);
    },
    LONG,
  );

  it(
    'recomputes one late bar with everything it reaches',
    async () => {
      const db = await fresh();
      await ingestSource(db.pool, openSource(files.withoutLate));
      expect(outcomeError(await refresh(db), 'refresh')).toBeNull();
      await ingestSource(db.pool, openSource(files.late));
      const spans = (
        await db.pool.query(`select family, lower(span) as lo, upper(span) as hi, reason from bqx.dirty_ranges order by family`)
      ).rows;
      // the pair's own spans, one per family, and the cross-section's reach into every pair's cross-pair
      // family (the bar's price is carried 5 minutes: README, "Cross-pair families")
      const own = spans.filter((s) => s.hi.getTime() === s.lo.getTime());
      expect(own).toHaveLength(FAMS.length);
      expect(own.every((s) => s.lo.toISOString().startsWith(LATE) && s.reason === 'insert')).toBe(true);
      const carried = spans.filter((s) => s.hi.getTime() !== s.lo.getTime());
      expect(carried.map((s) => [s.family, s.lo.toISOString().startsWith(LATE), s.hi.getTime() - s.lo.getTime()])).toEqual(
        [['correlation_features', true, 5 * 60_000]], // the store's one pair (a pair without bars gets none)
      );
      const out = await refresh(db);
      expect(outcomeError(out, 'refresh')).toBeNull();
      const bars = await barsOf(db);
      const at = bars.indexOf(Date.parse(`${LATE}:00Z`));
      // the cross units run between the pair-local families and the one reading them (their reach is the
      // cross-section's: test/db/crossRunner.test.ts)
      const cross = CROSS_SECTIONAL.map((f) => f.family);
      expect(out.units.map((u) => u.family)).toEqual([
        ...FAMS.filter((f) => f !== 'correlation_features' && f !== 'labels'),
        'labels',
        ...cross,
        'correlation_features',
      ]);
      for (const u of out.units.filter((x) => !cross.includes(x.family))) {
        expect(u.from, u.family).toBe(bars[u.family === 'labels' ? at - 75 : at]);
        expect(u.to, u.family).toBe(reachEnd(bars, at, u.family));
        if (u.family in REACH) expect(u.to, `${u.family} reaches less than the series`).toBeLessThan(bars.at(-1)! + 60_000);
      }
      await expectSameAsClean(db);
      await done(db);
    },
    LONG,
  );

  it(
    'finds and heals bars whose rows went missing behind its back; `bqx refresh` says up to date only then',
    async () => {
      // every bar loaded and computed: the clean build itself, copied rather than computed a second time;
      // a refresh of it finds nothing to do
      const db = await cloneDatabase(clean);
      dbs.push(db);
      const noop = await refresh(db);
      expect(outcomeError(noop, 'refresh')).toBeNull();
      expect(noop.incomplete).toEqual([]);
      expect(await completeness(db.pool, null, null)).toEqual([]);
      // rows deleted by hand: no dirty span knows; what is missing is the bars m1 has in each span (the synthetic feed skips a minute now and then)
      const expected: Array<[string, number]> = [];
      for (const g of GONE) {
        const { rowCount } = await db.pool.query(`delete from bqx.${g.family} where ts_utc >= $1 and ts_utc < $2`, [g.from, g.to]);
        const bars = (await db.pool.query(`select count(*)::int as n from bqx.m1 where ts_utc >= $1 and ts_utc < $2`, [g.from, g.to]))
          .rows[0].n;
        expect(bars, g.family).toBeGreaterThan(0);
        expect(rowCount, g.family).toBe(bars);
        expected.push([g.family, bars]);
      }
      const holes = await completeness(db.pool, null, null);
      expect(holes.map((h) => [h.family, h.missing])).toEqual(expected.sort((a, b) => a[0].localeCompare(b[0])));
      const st = JSON.parse((await run(process.execPath, [BIN, 'status', '--json', '--database-url', db.url])).stdout);
      expect(st.completeness.complete).toBe(false);
      expect(st.completeness.missingBars).toBe(expected.reduce((n, e) => n + e[1], 0));
      const cli = await run(process.execPath, [BIN, 'refresh', '--pairs', PAIR, '--database-url', db.url], { maxBuffer: 1 << 24 });
      expect(cli.stdout).not.toMatch(/up to date/);
      expect(cli.stdout).toMatch(/reg_rate/);
      expect(await completeness(db.pool, null, null)).toEqual([]);
      await expectSameAsClean(db);
      const again = await run(process.execPath, [BIN, 'refresh', '--pairs', PAIR, '--database-url', db.url]);
      expect(again.stdout).toMatch(/every family is up to date/);
      await done(db);
    },
    LONG,
  );
});
