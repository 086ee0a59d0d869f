/**
 * Wave 3 families for 28 pairs x one month (July 2024, synthetic), each next to the bare write of the
 * same rows and columns in the same run (delete + insert ... select of random() constants):
 *   - fibonacci_features: 28 per-pair refreshes;
 *   - currency_strength: one refresh of the 8 currencies from all 28 pairs (bare: 8 rows per grid minute);
 *   - cross_returns: one refresh of the aligned 28 pairs (bare: one row of 56 columns per grid minute);
 *   - correlation_features: 28 per-pair refreshes against their bare write; and, for BEFORE_PAIRS, the
 *     refresh as it was before issue 17 (bench/sql/correlation_features_before.sql: window aggregates,
 *     O(bars x window), too slow for all 28 in one run) next to today's on the same pairs, both called
 *     directly, so before and after come from the same run and load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate.ts';
import { crossReturns } from '../src/features/catalog/crossReturns.ts';
import { currencyStrength } from '../src/features/catalog/currencyStrength.ts';
import { family } from '../src/features/catalog/index.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshFamily } from '../src/runner/refreshFamily.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { freshDatabase, readSql, timed } from './support.ts';

const RANGE = { from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 7, 1) };
const BEFORE_PAIRS = ['eurusd', 'eurgbp'];

export async function benchWave3() {
  const file = path.join(os.tmpdir(), 'bqx-bench-28-2024-07.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 3, from: RANGE.from, to: RANGE.to, pairs: [...PAIR_NAMES] });
  const db = await freshDatabase();
  try {
    await migrate(db.pool);
    const ing = await ingestSource(db.pool, openSource(file));
    const fib = family('fibonacci_features').columns.map((c) => `"${c.name}"`);
    const fibSql = await timed(async () => {
      for (const p of PAIR_NAMES) await refreshFamily(db.pool, 'fibonacci_features', p, RANGE);
    });
    const fibBare = await timed(async () => {
      for (const p of PAIR_NAMES) {
        await db.pool.query('begin');
        await db.pool.query(`delete from bqx.fibonacci_features where pair = $1`, [p]);
        await db.pool.query(
          `insert into bqx.fibonacci_features (pair, ts_utc, ${fib.join(', ')}) select pair, ts_utc, ${fib.map(() => 'random()').join(', ')} from bqx.m1 where pair = $1`,
          [p],
        );
        await db.pool.query('commit');
      }
    });
    const from = new Date(RANGE.from);
    const to = new Date(RANGE.to);
    const cs = currencyStrength.columns.map((c) => `"${c.name}"`);
    const csSql = await timed(() => db.pool.query(`select bqx.refresh_currency_strength($1, $2) as n`, [from, to]));
    const csBare = await timed(async () => {
      await db.pool.query('begin');
      await db.pool.query(`delete from bqx.currency_strength where ts_utc >= $1 and ts_utc < $2`, [from, to]);
      await db.pool.query(
        `insert into bqx.currency_strength (currency, ts_utc, ${cs.join(', ')})
        select c, g.ts_utc, ${cs.map(() => 'random()').join(', ')}
        from (select distinct ts_utc from bqx.m1 where ts_utc >= $1 and ts_utc < $2) g
        cross join unnest(array['eur', 'gbp', 'aud', 'nzd', 'usd', 'cad', 'chf', 'jpy']) c`,
        [from, to],
      );
      await db.pool.query('commit');
    });
    // the computed rows back (the bare write replaced them), and a 5-minute tail as a runner tick would
    await db.pool.query(`select bqx.refresh_currency_strength($1, $2)`, [from, to]);
    const tail = new Date(RANGE.to - 5 * 60_000);
    const csTail = await timed(() => db.pool.query(`select bqx.refresh_currency_strength($1, $2)`, [tail, to]));
    const fibTail = await timed(async () => {
      for (const p of PAIR_NAMES) await refreshFamily(db.pool, 'fibonacci_features', p, { from: tail.getTime(), to: RANGE.to });
    });

    const cr = crossReturns.columns.map((c) => `"${c.name}"`);
    const crSql = await timed(() => db.pool.query(`select bqx.refresh_cross_returns($1, $2) as n`, [from, to]));
    const crBare = await timed(async () => {
      await db.pool.query('begin');
      await db.pool.query(`delete from bqx.cross_returns where ts_utc >= $1 and ts_utc < $2`, [from, to]);
      await db.pool.query(
        `insert into bqx.cross_returns (ts_utc, ${cr.join(', ')})
        select g.ts_utc, ${cr.map(() => 'random()').join(', ')}
        from (select distinct ts_utc from bqx.m1 where ts_utc >= $1 and ts_utc < $2) g`,
        [from, to],
      );
      await db.pool.query('commit');
    });
    await db.pool.query(`select bqx.refresh_cross_returns($1, $2)`, [from, to]);
    const crTail = await timed(() => db.pool.query(`select bqx.refresh_cross_returns($1, $2)`, [tail, to]));
    const corr = family('correlation_features').columns.map((c) => `"${c.name}"`);
    await db.pool.query(readSql('correlation_features_before'));
    const direct = (fn: string, pairs: readonly string[], range = RANGE) =>
      timed(async () => {
        for (const p of pairs) await db.pool.query(`select ${fn}($1, $2, $3)`, [p, new Date(range.from), new Date(range.to)]);
      });
    const corrBefore = await direct('public.refresh_correlation_features_before', BEFORE_PAIRS);
    const corrAfter = await direct('bqx.refresh_correlation_features', BEFORE_PAIRS);
    const corrSql = await timed(async () => {
      for (const p of PAIR_NAMES) await refreshFamily(db.pool, 'correlation_features', p, RANGE);
    });
    const corrBare = await timed(async () => {
      for (const p of PAIR_NAMES) {
        await db.pool.query('begin');
        await db.pool.query(`delete from bqx.correlation_features where pair = $1`, [p]);
        await db.pool.query(
          `insert into bqx.correlation_features (pair, ts_utc, ${corr.join(', ')}) select pair, ts_utc, ${corr.map(() => 'random()').join(', ')} from bqx.m1 where pair = $1`,
          [p],
        );
        await db.pool.query('commit');
      }
    });
    const last5 = { from: tail.getTime(), to: RANGE.to };
    const corrTailBefore = await direct('public.refresh_correlation_features_before', BEFORE_PAIRS, last5);
    const corrTail = await timed(async () => {
      for (const p of PAIR_NAMES) await refreshFamily(db.pool, 'correlation_features', p, last5);
    });
    const beforeRows = Number(
      (await db.pool.query(`select count(*)::int as n from bqx.m1 where pair = any($1)`, [BEFORE_PAIRS])).rows[0].n,
    );
    // the bare write of the BEFORE_PAIRS' rows: their share of the 28 pairs' bare write
    const beforeBare = (corrBare.seconds * beforeRows) / ing.inserted;
    return {
      bars: ing.inserted,
      fibonacci_features: {
        rows: ing.inserted,
        columns: fib.length,
        sqlSeconds: fibSql.seconds,
        bareWriteSeconds: fibBare.seconds,
        sqlVsBare: fibSql.seconds / fibBare.seconds,
      },
      currency_strength: {
        rows: Number(csSql.value.rows[0].n),
        columns: cs.length,
        sqlSeconds: csSql.seconds,
        bareWriteSeconds: csBare.seconds,
        sqlVsBare: csSql.seconds / csBare.seconds,
      },
      cross_returns: {
        rows: Number(crSql.value.rows[0].n),
        columns: cr.length,
        sqlSeconds: crSql.seconds,
        bareWriteSeconds: crBare.seconds,
        sqlVsBare: crSql.seconds / crBare.seconds,
      },
      correlation_features: {
        rows: ing.inserted,
        columns: corr.length,
        sqlSeconds: corrSql.seconds,
        bareWriteSeconds: corrBare.seconds,
        sqlVsBare: corrSql.seconds / corrBare.seconds,
        secondsPerPair: corrSql.seconds / PAIR_NAMES.length,
        beforeAndAfter: {
          pairs: BEFORE_PAIRS,
          rows: beforeRows,
          beforeSeconds: corrBefore.seconds,
          afterSeconds: corrAfter.seconds,
          speedup: corrBefore.seconds / corrAfter.seconds,
          bareWriteSeconds: beforeBare,
          beforeVsBare: corrBefore.seconds / beforeBare,
          afterVsBare: corrAfter.seconds / beforeBare,
        },
      },
      lastFiveMinutes: {
        currencyStrengthSeconds: csTail.seconds,
        fibonacci28PairsSeconds: fibTail.seconds,
        crossReturnsSeconds: crTail.seconds,
        correlationSecondsPerPair: corrTail.seconds / PAIR_NAMES.length,
        correlationBeforeSecondsPerPair: corrTailBefore.seconds / BEFORE_PAIRS.length,
      },
    };
  } finally {
    await db.drop();
  }
}
