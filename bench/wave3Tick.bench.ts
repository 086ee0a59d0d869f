/**
 * A runner tick after 5 new minutes of all 28 pairs, with the cross families (currency_strength and
 * cross_returns once for all pairs, then correlation_features per pair, planned in three waves) against the
 * baseline tick without them (the pair-local families only), in the same run and on the same store:
 * a day of 28 pairs backfilled, then rounds alternating a baseline tick (then an untimed tick that brings
 * the cross families level) and a full tick, each on 5 fresh minutes. Goal (issue 17): the full tick under 5 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { ALL_PAIRS, readsCross } from '../src/runner/planCross.ts';
import { refreshableFamilies } from '../src/runner/refreshFamily.ts';
import { runAndCheck } from '../src/runner/refreshUntilComplete.ts';
import { runnerTick } from '../src/runner/runnerTick.ts';
import { rangePlan } from '../src/runner/runPairs.ts';
import type { UnitResult } from '../src/runner/runUnit.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { freshDatabase, median, timed } from './support.ts';

const ROUNDS = 3;
const FROM = Date.UTC(2024, 6, 1);
const DAY_END = Date.UTC(2024, 6, 2);
const TO = DAY_END + ROUNDS * 2 * 5 * 60_000;

export async function benchWave3Tick() {
  const file = path.join(os.tmpdir(), 'bqx-bench-28-wave3-tick.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 5, from: FROM, to: TO, pairs: [...PAIR_NAMES] });
  const db = await freshDatabase();
  try {
    await migrate(db.pool);
    await ingestSource(db.pool, openSource(file));
    await db.pool.query('create table public.held as select * from bqx.m1 where ts_utc >= $1', [new Date(DAY_END)]);
    await db.pool.query('delete from bqx.m1 where ts_utc >= $1', [new Date(DAY_END)]);
    const all = refreshableFamilies();
    const local = all.filter((f) => !readsCross(f));
    const backfill = await timed(() =>
      runAndCheck(db.pool, [...PAIR_NAMES], rangePlan(all, FROM, DAY_END), {
        concurrency: 2,
        trigger: 'backfill',
        checkCompleteness: false,
      }),
    );
    let next = DAY_END;
    const feed = async () => {
      await db.pool.query('insert into bqx.m1 select * from public.held where ts_utc >= $1 and ts_utc < $2', [
        new Date(next),
        new Date(next + 5 * 60_000),
      ]);
      next += 5 * 60_000;
    };
    // the units' own seconds by kind: the cross units (pair '*'), their readers, the rest (less moved by
    // other processes' load than the wall time of two ticks timed one after the other)
    let split = { cross: 0, readers: 0, local: 0 };
    const onUnit = (u: UnitResult) => {
      if (u.pair === ALL_PAIRS) split.cross += u.seconds;
      else if (readsCross(u.family)) split.readers += u.seconds;
      else split.local += u.seconds;
    };
    const tick = (families: string[]) =>
      runnerTick(db.pool, { pairs: [...PAIR_NAMES], families, concurrency: 2, log: () => {}, staleBudgetSeconds: 0, onUnit });
    const base: number[] = [];
    const full: number[] = [];
    const units: number[] = [];
    const shares: Array<Record<string, number>> = [];
    for (let r = 0; r < ROUNDS; r++) {
      await feed();
      base.push((await tick(local)).steps.refresh);
      await tick(all); // the cross families and their readers level again (untimed)
      await feed();
      split = { cross: 0, readers: 0, local: 0 };
      const t = await tick(all);
      full.push(t.steps.refresh);
      units.push(t.units);
      shares.push({ ...split, crossAndReadersShare: (split.cross + split.readers) / (split.cross + split.readers + split.local) });
    }
    return {
      pairs: PAIR_NAMES.length,
      backfillSeconds: backfill.seconds,
      baselineTickRefreshSeconds: base,
      fullTickRefreshSeconds: full,
      fullTickUnits: units,
      fullTickUnitSeconds: shares,
      medianBaseline: median(base),
      medianFull: median(full),
      fullVsBaseline: median(full) / median(base),
    };
  } finally {
    await db.drop();
  }
}
