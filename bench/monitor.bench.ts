/**
 * Issue 19: what keeping bqx.feature_stats costs. Two databases with the same bars, one keeping the
 * statistics and one not, run the same steps interleaved in one process: a backfill of every family
 * (2 pairs x 2 weeks of July 2024; the statistics' first month, so their edges too), the same backfill
 * again in the other order (a re-run: every row rewritten, every month recounted), then runner ticks of
 * 5 new minutes, the order alternating (the first also premakes partitions, so the next four are the
 * steady state). The machine is shared, so the ratios are what counts, and the load is recorded with
 * them. Goal: the statistics add at most ~10%. Then
 * `bqx drift` over a month against the month before for 28 pairs: the two computed pairs' statistics
 * copied under the other 26 names (drift reads only bqx.feature_stats, whose size is what it costs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { drift } from '../src/monitor/drift.ts';
import { featureStatsSeconds, setFeatureStatsEnabled } from '../src/monitor/refreshStats.ts';
import { refreshableFamilies } from '../src/runner/refreshFamily.ts';
import { runnerTick } from '../src/runner/runnerTick.ts';
import { rangePlan, runPairs } from '../src/runner/runPairs.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { freshDatabase, readSql, timed } from './support.ts';

const PAIRS = ['eurusd', 'usdjpy'];
const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 15);

export async function benchMonitor() {
  const file = path.join(os.tmpdir(), 'bqx-bench-monitor.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 5, from: FROM, to: TO, pairs: PAIRS });
  const off = await freshDatabase();
  const on = await freshDatabase();
  try {
    for (const db of [off, on]) {
      await migrate(db.pool);
      await ingestSource(db.pool, openSource(file));
    }
    const families = refreshableFamilies();
    // each step's wall time, and with the statistics on the part of it the statistics statement took:
    // with two workers the units overlap, so that part is scaled by the units' own total below
    const step = async <T>(stats: boolean, fn: () => Promise<T>) => {
      setFeatureStatsEnabled(stats);
      const s0 = featureStatsSeconds();
      try {
        return { ...(await timed(fn)), statsSeconds: featureStatsSeconds() - s0 };
      } finally {
        setFeatureStatsEnabled(true);
      }
    };
    const backfill = (db: typeof on, stats: boolean) =>
      step(stats, async () => {
        const r = await runPairs(db.pool, PAIRS, rangePlan(families, FROM, TO), { concurrency: 2, trigger: 'backfill' });
        if (r.some((u) => u.status !== 'ok')) throw new Error('a backfill unit failed');
        return r.reduce((n, u) => n + u.seconds, 0);
      });
    // the statistics' share within one timed step: statistics seconds / the units' seconds without them
    const share = (x: { value: number; statsSeconds: number }) => x.statsSeconds / (x.value - x.statsSeconds);
    const loadBefore = os.loadavg();
    const bOff = await backfill(off, false);
    const bOn = await backfill(on, true);
    const rOn = await backfill(on, true);
    const rOff = await backfill(off, false);

    const ticks: Array<{ off: number; on: number; statsSeconds: number; unitSeconds: number }> = [];
    for (let i = 0; i < 5; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-bench-monitor-watch-'));
      await synthToFile(path.join(dir, `next${i}.csv`), {
        seed: 5,
        from: TO + i * 5 * 60_000,
        to: TO + (i + 1) * 5 * 60_000,
        pairs: PAIRS,
      });
      const tick = (db: typeof on, stats: boolean) =>
        step(stats, async () => {
          let unitSeconds = 0;
          await runnerTick(db.pool, {
            pairs: PAIRS,
            concurrency: 2,
            watchDir: dir,
            log: () => {},
            onUnit: (u) => {
              unitSeconds += u.seconds;
            },
          });
          return unitSeconds;
        });
      if (i % 2 === 0) {
        const a = await tick(off, false);
        const b = await tick(on, true);
        ticks.push({ off: a.seconds, on: b.seconds, statsSeconds: b.statsSeconds, unitSeconds: b.value });
      } else {
        const b = await tick(on, true);
        const a = await tick(off, false);
        ticks.push({ off: a.seconds, on: b.seconds, statsSeconds: b.statsSeconds, unitSeconds: b.value });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const loadAfter = os.loadavg();
    const steady = ticks.slice(1);
    const sum = (xs: number[]) => xs.reduce((p, q) => p + q, 0);
    const stats = (await on.pool.query('select count(*)::int as n from bqx.feature_stats')).rows[0].n;

    // drift over 28 pairs: the computed pairs' July statistics copied to every pair, and again as August
    // with the histograms of the second half of July for the drift to find something
    await on.pool.query(readSql('monitor_replicate_stats'), [PAIRS, PAIR_NAMES]);
    const rows28 = (await on.pool.query('select count(*)::int as n from bqx.feature_stats')).rows[0].n;
    const d = await timed(() =>
      drift(on.pool, {
        baseline: { from: Date.UTC(2024, 5, 1), to: Date.UTC(2024, 6, 1) },
        against: { from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 7, 1) },
        pairs: PAIR_NAMES,
      }),
    );
    return {
      pairs: PAIRS,
      range: [new Date(FROM).toISOString(), new Date(TO).toISOString()],
      families: families.length,
      statsRows: stats,
      loadAverage: { before: loadBefore, after: loadAfter, cores: os.cpus().length },
      backfill: {
        withoutStatsSeconds: bOff.seconds,
        withStatsSeconds: bOn.seconds,
        ratio: bOn.seconds / bOff.seconds,
        statsShare: share(bOn),
      },
      rerun: {
        withoutStatsSeconds: rOff.seconds,
        withStatsSeconds: rOn.seconds,
        ratio: rOn.seconds / rOff.seconds,
        statsShare: share(rOn),
      },
      backfillBothRounds: { ratio: (bOn.seconds + rOn.seconds) / (bOff.seconds + rOff.seconds) },
      tick: {
        ticks,
        steadyRatio: sum(steady.map((t) => t.on)) / sum(steady.map((t) => t.off)),
        // within the steady ticks' units (a tick also ingests and plans, outside them)
        steadyStatsShareOfUnits: sum(steady.map((t) => t.statsSeconds)) / sum(steady.map((t) => t.unitSeconds - t.statsSeconds)),
      },
      drift28: {
        pairs: PAIR_NAMES.length,
        statsRows: rows28,
        features: d.value.length,
        seconds: d.seconds,
        inDrift: d.value.filter((r) => r.verdict === 'drift').length,
      },
    };
  } finally {
    await off.drop();
    await on.drop();
  }
}
