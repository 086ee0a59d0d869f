/**
 * Issue 7: backfill of 28 pairs x 1 month of every family at concurrency 1 and at concurrency 2, in the
 * same run on the same bars (goal: speed-up >= 1.7 on 2 cores); then the latency of one runner tick after
 * 5 new minutes for all 28 pairs arrive in the watched directory (goal: under 5 s), split into its steps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshableFamilies } from '../src/runner/refreshFamily.ts';
import { runnerTick } from '../src/runner/runnerTick.ts';
import { rangePlan, runPairs } from '../src/runner/runPairs.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { freshDatabase, timed } from './support.ts';

const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 7, 1);

export async function benchRunner() {
  const file = path.join(os.tmpdir(), 'bqx-bench-28x2024-07.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 3, from: FROM, to: TO, pairs: PAIR_NAMES });
  const db = await freshDatabase();
  try {
    await migrate(db.pool);
    const ing = await ingestSource(db.pool, openSource(file));
    const families = refreshableFamilies();
    const result: Record<string, unknown> = { bars: ing.inserted, pairs: PAIR_NAMES.length, families: families.length };
    const backfill = async (concurrency: number) => {
      const t = await timed(() => runPairs(db.pool, PAIR_NAMES, rangePlan(families, FROM, TO), { concurrency, trigger: 'backfill' }));
      if (t.value.some((u) => u.status !== 'ok')) throw new Error('a backfill unit failed');
      return t.seconds;
    };
    const c1 = await backfill(1);
    const c2 = await backfill(2);
    result.backfill = { concurrency1Seconds: c1, concurrency2Seconds: c2, speedup: c1 / c2, units: PAIR_NAMES.length * families.length };

    // one tick: 5 new minutes for every pair dropped in the watched directory
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-bench-watch-'));
    await synthToFile(path.join(dir, 'next5.csv'), { seed: 3, from: TO, to: TO + 5 * 60_000, pairs: PAIR_NAMES });
    const log: Array<Record<string, unknown>> = [];
    const tick = await timed(() => runnerTick(db.pool, { pairs: PAIR_NAMES, concurrency: 2, watchDir: dir, log: (e) => log.push(e) }));
    // the first tick also premakes this month's partitions for every family and pair (once); the next
    // 5 minutes show the steady state
    fs.rmSync(path.join(dir, 'next5.csv'));
    await synthToFile(path.join(dir, 'next5b.csv'), { seed: 3, from: TO + 5 * 60_000, to: TO + 10 * 60_000, pairs: PAIR_NAMES });
    const steady = await timed(() => runnerTick(db.pool, { pairs: PAIR_NAMES, concurrency: 2, watchDir: dir, log: (e) => log.push(e) }));
    // and an idle tick (nothing new) for the fixed cost
    const idle = await timed(() => runnerTick(db.pool, { pairs: PAIR_NAMES, concurrency: 2, watchDir: dir, log: () => {} }));
    result.tick = {
      firstSeconds: tick.seconds,
      steadySeconds: steady.seconds,
      idleTickSeconds: idle.seconds,
      first: tick.value,
      steady: steady.value,
      log,
    };
    return result;
  } finally {
    await db.drop();
  }
}
