/**
 * In-engine families for one pair-year (about 377k bars): bqx (37 columns), reg_rate and reg_bqx (90
 * each), each next to, in the same run and on the same rows,
 *   (a) TypeScript computing the same columns (the tests' references: plain-loop definitions, a
 *       Householder QR least-squares fit per window) and writing them with COPY, and
 *   (b) the bare write cost: delete + insert ... select of random() constants for the same rows and columns.
 * Issue 5's goals: reg at least 20x faster than (a) and within 3x of (b).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../src/db/migrate.ts';
import { family } from '../src/features/catalog/index.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshFamily } from '../src/runner/refreshFamily.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { bqxReference, type Row } from '../test/support/reference/bqxReference.ts';
import { regReference } from '../test/support/reference/regReference.ts';
import { freshDatabase, timed } from './support.ts';

const PAIR = 'eurusd';
const RANGE = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1) };

async function copyRows(pool: pg.Pool, fam: string, ts: Date[], rows: Row[]): Promise<void> {
  const cols = family(fam).columns.map((c) => c.name);
  const c = await pool.connect();
  try {
    await c.query('begin');
    await c.query(`delete from bqx.${fam} where pair = $1`, [PAIR]);
    const s = c.query(copyFrom(`copy bqx.${fam} (pair, ts_utc, ${cols.map((x) => `"${x}"`).join(', ')}) from stdin`, { highWaterMark: 16 << 20 }));
    let chunk = '';
    for (let i = 0; i < rows.length; i++) {
      chunk += `${PAIR}\t${ts[i].toISOString()}`;
      for (const k of cols) { const v = rows[i][k]; chunk += `\t${v === null || v === undefined ? '\\N' : v}`; }
      chunk += '\n';
      if (chunk.length > 1 << 20) { if (!s.write(chunk)) await once(s, 'drain'); chunk = ''; }
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
  await pool.query(`insert into bqx.${fam} (pair, ts_utc, ${cols.join(', ')}) select pair, ts_utc, ${cols.map(() => 'random()').join(', ')} from bqx.m1 where pair = $1`, [PAIR]);
  await pool.query('commit');
}

export async function benchFeatures() {
  const file = path.join(os.tmpdir(), 'bqx-bench-eurusd-2024.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 1, from: RANGE.from, to: RANGE.to, pairs: [PAIR] });
  const db = await freshDatabase();
  try {
    await migrate(db.pool);
    const ing = await ingestSource(db.pool, openSource(file));
    const m1 = (await db.pool.query(`select ts_utc, rate_index from bqx.m1 where pair = $1 order by ts_utc`, [PAIR])).rows;
    const ts = m1.map((r) => r.ts_utc as Date);
    const I = m1.map((r) => r.rate_index as number);
    const result: Record<string, unknown> = { rows: ing.inserted };
    for (const fam of ['bqx', 'reg_rate', 'reg_bqx']) {
      const sql = await timed(() => refreshFamily(db.pool, fam, PAIR, RANGE));
      const bare = await timed(() => bareWrite(db.pool, fam));
      const compute = await timed(async () => {
        if (fam === 'bqx') return bqxReference(I);
        if (fam === 'reg_rate') return regReference(I, 'idx');
        return regReference(bqxReference(I).map((r) => r.w15_bqx_return), 'bqx');
      });
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
    return result;
  } finally {
    await db.drop();
  }
}
