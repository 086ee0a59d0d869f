/**
 * correlation_features before and after issue 20 on one store (28 pairs x July 2024, synthetic, as
 * bench/wave3.bench.ts builds it): per pair, in one transaction rolled back, the body of issue 17
 * (bench/sql/correlation_features_issue17.sql) and today's bqx.refresh_correlation_features, in
 * alternating order, each timed by the wall clock and by the server process's CPU time (utime + stime of
 * the backend, from /proc: what the refresh itself costs, whatever else loads the machine; null where the
 * server is not local). Their rows are compared as text (every bit of every float) both ways.
 * BENCH_PAIRS=eurusd,gbpjpy limits the pairs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { freshDatabase, readSql } from './support.ts';

const RANGE = { from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 7, 1) };
const BEFORE = 'public.refresh_correlation_features_issue17';
const AFTER = 'bqx.refresh_correlation_features';

export async function benchCorrBeforeAfter() {
  const file = path.join(os.tmpdir(), 'bqx-bench-28-2024-07.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 3, from: RANGE.from, to: RANGE.to, pairs: [...PAIR_NAMES] });
  const pairs = process.env.BENCH_PAIRS ? process.env.BENCH_PAIRS.split(',') : [...PAIR_NAMES];
  const db = await freshDatabase();
  const c = await db.pool.connect();
  try {
    await migrate(db.pool);
    await ingestSource(db.pool, openSource(file));
    const range = [new Date(RANGE.from), new Date(RANGE.to)];
    await c.query('select bqx.refresh_currency_strength($1, $2)', range);
    await c.query('select bqx.refresh_cross_returns($1, $2)', range);
    await c.query(readSql('correlation_features_issue17'));
    const pid = (await c.query('select pg_backend_pid() as p')).rows[0].p;
    const cpu = (): number | null => {
      try {
        const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(f[11]) + Number(f[12])) / 100; // utime and stime, in ticks of 1/100 s
      } catch {
        return null;
      }
    };
    const perPair: Record<string, unknown>[] = [];
    const tot = { beforeCpu: 0, afterCpu: 0, beforeWall: 0, afterWall: 0, mismatchedRows: 0 };
    for (const [i, pair] of pairs.entries()) {
      await c.query('begin');
      const t: Record<string, { cpu: number | null; wall: number }> = {};
      for (const fn of i % 2 === 0 ? [BEFORE, AFTER] : [AFTER, BEFORE]) {
        const c0 = cpu();
        const w0 = performance.now();
        await c.query(`select ${fn}($1, $2, $3)`, [pair, ...range]);
        const c1 = cpu();
        t[fn] = { cpu: c0 === null || c1 === null ? null : c1 - c0, wall: (performance.now() - w0) / 1000 };
        await c.query(`create temp table "${fn}" on commit drop as select x::text as t from bqx.correlation_features x where pair = $1`, [
          pair,
        ]);
      }
      const d = (
        await c.query(`select (select count(*) from (select t from "${BEFORE}" except all select t from "${AFTER}") a)::int as a,
                              (select count(*) from (select t from "${AFTER}" except all select t from "${BEFORE}") b)::int as b,
                              (select count(*) from "${AFTER}")::int as n`)
      ).rows[0];
      await c.query('rollback');
      const b = t[BEFORE]!;
      const a = t[AFTER]!;
      tot.beforeCpu += b.cpu ?? Number.NaN;
      tot.afterCpu += a.cpu ?? Number.NaN;
      tot.beforeWall += b.wall;
      tot.afterWall += a.wall;
      tot.mismatchedRows += d.a + d.b;
      perPair.push({ pair, rows: d.n, beforeNotAfter: d.a, afterNotBefore: d.b, before: b, after: a });
    }
    return {
      pairs: pairs.length,
      beforeCpuSeconds: tot.beforeCpu,
      afterCpuSeconds: tot.afterCpu,
      cpuSpeedup: tot.beforeCpu / tot.afterCpu,
      beforeWallSeconds: tot.beforeWall,
      afterWallSeconds: tot.afterWall,
      wallSpeedup: tot.beforeWall / tot.afterWall,
      mismatchedRows: tot.mismatchedRows,
      loadAfter: fs.readFileSync('/proc/loadavg', 'utf8').trim(),
      perPair,
    };
  } finally {
    c.release();
    await db.drop();
  }
}
