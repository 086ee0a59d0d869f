/**
 * In-engine families for one pair-year (about 377k bars): bqx, bollinger, statistics, volume, spread,
 * time (issue 4) and reg_rate / reg_bqx (issue 5), each next to, in the same run and on the same rows,
 *   (a) TypeScript computing the same columns (the tests' references: plain-loop definitions, a
 *       Householder QR least-squares fit per window) and writing them with COPY, and
 *   (b) the bare write cost: delete + insert ... select of random() constants for the same rows and columns.
 * Goals: within 3x of (b) and faster than (a) (issue 4); reg at least 20x faster than (a) (issue 5).
 * BENCH_FAMILIES=a,b limits the run to some families (bqx is always computed first: others read it).
 */

import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../src/db/migrate.ts';
import { family } from '../src/features/catalog/index.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshFamily } from '../src/runner/refreshFamily.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { bqxReference, type Row } from '../test/support/reference/bqxReference.ts';
import { momentsReference } from '../test/support/reference/momentsReference.ts';
import { regReference } from '../test/support/reference/regReference.ts';
import { type Bar, spreadReference } from '../test/support/reference/spreadReference.ts';
import { timeReference } from '../test/support/reference/timeReference.ts';
import { volumeReference } from '../test/support/reference/volumeReference.ts';
import { freshDatabase, timed } from './support.ts';

const PAIR = 'eurusd';
const RANGE = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1) };

async function copyRows(pool: pg.Pool, fam: string, ts: Date[], rows: Row[]): Promise<void> {
  const cols = family(fam).columns.map((c) => c.name);
  const c = await pool.connect();
  try {
    await c.query('begin');
    await c.query(`delete from bqx.${fam} where pair = $1`, [PAIR]);
    const s = c.query(
      copyFrom(`copy bqx.${fam} (pair, ts_utc, ${cols.map((x) => `"${x}"`).join(', ')}) from stdin`, { highWaterMark: 16 << 20 }),
    );
    let chunk = '';
    for (let i = 0; i < rows.length; i++) {
      chunk += `${PAIR}\t${ts[i].toISOString()}`;
      for (const k of cols) {
        const v = rows[i][k];
        chunk += `\t${v === null || v === undefined ? '\\N' : v}`;
      }
      chunk += '\n';
      if (chunk.length > 1 << 20) {
        if (!s.write(chunk)) await once(s, 'drain');
        chunk = '';
      }
    }
    s.end(chunk);
    await once(s, 'finish');
    await c.query('commit');
  } finally {
    c.release();
  }
}

async function bareWrite(pool: pg.Pool, fam: string): Promise<void> {
  const cols = family(fam).columns.map((c) => `"${c.name}"`);
  // Built from the catalog: the same columns the refresh writes, filled with constants.
  await pool.query('begin');
  await pool.query(`delete from bqx.${fam} where pair = $1`, [PAIR]);
  await pool.query(
    `insert into bqx.${fam} (pair, ts_utc, ${cols.join(', ')}) select pair, ts_utc, ${cols.map(() => 'random()').join(', ')} from bqx.m1 where pair = $1`,
    [PAIR],
  );
  await pool.query('commit');
}

export async function benchFeatures() {
  const file = path.join(os.tmpdir(), 'bqx-bench-eurusd-2024.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 1, from: RANGE.from, to: RANGE.to, pairs: [PAIR] });
  const db = await freshDatabase();
  try {
    await migrate(db.pool);
    const ing = await ingestSource(db.pool, openSource(file));
    const bars = (await db.pool.query(`select * from bqx.m1 where pair = $1 order by ts_utc`, [PAIR])).rows;
    const ts = bars.map((r) => r.ts_utc as Date);
    const I = bars.map((r) => r.rate_index as number);
    const x = bqxReference(I).map((r) => r.w15_bqx_return);
    // (a): the same columns from the tests' independent references, on the same inputs
    const REFERENCE: Record<string, () => Row[]> = {
      bqx: () => bqxReference(I),
      bollinger_rate: () => momentsReference(I, 'bollinger', 'rate'),
      bollinger_bqx: () => momentsReference(x, 'bollinger', 'bqx'),
      statistics_rate: () => momentsReference(I, 'statistics', 'rate'),
      statistics_bqx: () => momentsReference(x, 'statistics', 'bqx'),
      volume_features: () =>
        volumeReference(
          I,
          x,
          bars.map((r) => r.volume),
          bars.map((r) => r.close),
        ),
      spread_features: () => spreadReference(bars as Bar[], 0.0001),
      time_features: () => timeReference(ts),
      reg_rate: () => regReference(I, 'idx'),
      reg_bqx: () => regReference(x, 'bqx'),
    };
    const only = process.env.BENCH_FAMILIES?.split(',');
    const result: Record<string, unknown> = { rows: ing.inserted };
    for (const fam of Object.keys(REFERENCE).filter((f) => f === 'bqx' || !only || only.includes(f))) {
      const sql = await timed(() => refreshFamily(db.pool, fam, PAIR, RANGE));
      const bare = await timed(() => bareWrite(db.pool, fam));
      const compute = await timed(async () => REFERENCE[fam]());
      const write = await timed(() => copyRows(db.pool, fam, ts, compute.value));
      // leave the in-engine rows in place for the next family's inputs
      await refreshFamily(db.pool, fam, PAIR, RANGE);
      const ts_ = compute.seconds + write.seconds;
      result[fam] = {
        columns: family(fam).columns.length,
        sqlSeconds: sql.seconds,
        bareWriteSeconds: bare.seconds,
        tsComputeSeconds: compute.seconds,
        tsCopySeconds: write.seconds,
        tsTotalSeconds: ts_,
        sqlVsBare: sql.seconds / bare.seconds,
        tsOverSql: ts_ / sql.seconds,
        rowsPerSecond: Math.round(ing.inserted / sql.seconds),
      };
    }
    // Issue 4's families together: the total and its ratios
    const issue4 = [
      'bqx',
      'bollinger_rate',
      'bollinger_bqx',
      'statistics_rate',
      'statistics_bqx',
      'volume_features',
      'spread_features',
      'time_features',
    ];
    const done = issue4.map((f) => result[f] as Record<string, number> | undefined).filter((r): r is Record<string, number> => !!r);
    if (done.length === issue4.length) {
      const sum = (k: string) => done.reduce((a, r) => a + r[k], 0);
      result.issue4Total = {
        columns: sum('columns'),
        sqlSeconds: sum('sqlSeconds'),
        bareWriteSeconds: sum('bareWriteSeconds'),
        tsTotalSeconds: sum('tsTotalSeconds'),
        sqlVsBare: sum('sqlSeconds') / sum('bareWriteSeconds'),
        tsOverSql: sum('tsTotalSeconds') / sum('sqlSeconds'),
      };
    }
    return result;
  } finally {
    await db.drop();
  }
}
