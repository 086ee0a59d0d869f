/**
 * A backfill leaves nothing for the next refresh to redo. The ingest's dirty spans reach to the end of
 * the series: a backfill whose range ends exactly there (the demo's), and one run month by month across
 * a month boundary (bqx backfill), must take them along, or the first runner tick recomputes the whole
 * backfill again. A span recorded after a pair's first month was planned stays for the refresh.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { BackfillRange } from '../../src/runner/BackfillRange.ts';
import { planRange } from '../../src/runner/planIncremental.ts';
import { refreshableFamilies } from '../../src/runner/refreshFamily.ts';
import { incrementalPlan, runPairs } from '../../src/runner/runPairs.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { bqxCli } from '../support/cli.ts';
import { createDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

const PAIRS = ['eurusd', 'gbpusd'];
const FROM = Date.UTC(2024, 6, 30);
const AUG = Date.UTC(2024, 7, 1);
const TO = Date.UTC(2024, 7, 2);
const LATE = '2024-07-31T10:17';
const FAMS = refreshableFamilies();
const cli = bqxCli();

/** The series, and the same without one eurusd bar of July 31 (then that bar alone). */
async function files(): Promise<{ all: string; main: string; late: string }> {
  const all = tmpPath('backfill-spans-all.csv');
  await synthToFile(all, { seed: 5, from: FROM, to: TO, pairs: PAIRS });
  const [header, ...body] = fs.readFileSync(all, 'utf8').trimEnd().split('\n');
  const isLate = (l: string) => l.startsWith(`eurusd,${LATE}`);
  expect(body.filter(isLate)).toHaveLength(1);
  const main = tmpPath('backfill-spans-main.csv');
  const late = tmpPath('backfill-spans-late.csv');
  fs.writeFileSync(main, [header, ...body.filter((l) => !isLate(l))].join('\n') + '\n');
  fs.writeFileSync(late, [header, ...body.filter(isLate)].join('\n') + '\n');
  return { all, main, late };
}

describe('a backfill and the dirty spans', () => {
  it('month by month to the end of the series, it takes every span along: the next refresh has nothing to do', async () => {
    const f = await files();
    const db = await createDatabase();
    try {
      await ingestSource(db.pool, openSource(f.all));
      const last = (await db.pool.query<{ t: Date }>(`select max(ts_utc) as t from bqx.m1`)).rows[0].t;
      // the series ends where the range does: its spans' reach is [.., TO) exactly
      expect(last.getTime()).toBe(TO - 60_000);
      const before = (await db.pool.query<{ n: number }>(`select count(*)::int as n from bqx.dirty_ranges`)).rows[0].n;
      expect(before).toBeGreaterThanOrEqual(PAIRS.length * FAMS.length);
      const r = await cli(db.url, 'backfill', '--pairs', PAIRS.join(','), '--from', '2024-07-30', '--to', '2024-08-02', '--json');
      expect(r.code, r.stderr).toBe(0);
      const left = await db.pool.query<{ pairs: number; cross: number; marks: number }>(
        `select (select count(*)::int from bqx.dirty_ranges) as pairs, (select count(*)::int from bqx.cross_dirty_ranges) as cross,
                (select count(*)::int from bqx.watermarks where dirty_from is not null) as marks`,
      );
      expect(left.rows[0]).toEqual({ pairs: 0, cross: 0, marks: 0 });
      expect(await runPairs(db.pool, PAIRS, incrementalPlan(FAMS), { concurrency: 2, trigger: 'refresh' })).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('a month takes the spans whose reach ends in it, and not one recorded after the first month was planned', async () => {
    const f = await files();
    const db = await createDatabase();
    const c = await db.pool.connect();
    try {
      await ingestSource(db.pool, openSource(f.main));
      const spans = async () =>
        (await c.query<{ id: string; family: string }>(`select id, family from bqx.dirty_ranges where pair = 'eurusd'`)).rows.map((x) => ({
          id: Number(x.id),
          family: x.family,
        }));
      const old = await spans();
      const whole = new BackfillRange(FROM, TO);
      // July: every span reaches to the end of the series, in August
      const july = await planRange(c, 'eurusd', FAMS, FROM, AUG, whole);
      for (const u of july.units) expect(u.dirtyIds, u.family).toEqual([]);
      // a late bar of July arrives while the backfill runs
      await ingestSource(db.pool, openSource(f.late));
      const late = (await spans()).filter((s) => !old.some((o) => o.id === s.id));
      expect(late.length).toBeGreaterThan(0);
      const august = await planRange(c, 'eurusd', FAMS, AUG, TO, whole);
      for (const u of august.units) {
        const mine = old.filter((s) => s.family === u.family).map((s) => s.id);
        expect([...(u.dirtyIds ?? [])].sort(), u.family).toEqual(mine.sort());
      }
      // without the whole range, one month takes nothing of a reach that crosses months
      const alone = await planRange(c, 'eurusd', FAMS, AUG, TO);
      for (const u of alone.units) expect(u.dirtyIds, u.family).toEqual([]);
      // and a single range to the series' end takes them all, the late one too
      const single = await planRange(c, 'eurusd', FAMS, FROM, TO);
      for (const u of single.units) {
        const mine = (await spans()).filter((s) => s.family === u.family).map((s) => s.id);
        expect([...(u.dirtyIds ?? [])].sort(), u.family).toEqual(mine.sort());
      }
    } finally {
      c.release();
      await db.drop();
    }
  });
});
