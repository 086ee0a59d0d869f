/**
 * Issue 6: technical_rate and technical_bqx for one pair-year (about 377k bars, 60 columns): end-to-end
 * refresh split into read (cursor fetches), compute and write (binary COPY), next to the bare COPY-in of
 * the same rows and columns (data of constants built before the clock starts; delete + COPY, both in
 * text and in binary format) in the same run; and the peak RSS of `bqx refresh` run as its own process
 * (GNU time). Goal: within 2x of the bare write; a pair-year under 500 MB.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryCopyBuffer } from '../src/db/BinaryCopyBuffer.ts';
import { migrate } from '../src/db/migrate.ts';
import { family } from '../src/features/catalog/index.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshFamily } from '../src/runner/refreshFamily.ts';
import { refreshTechnical, type TechnicalPhases } from '../src/runner/refreshTechnical.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { dbUrl, freshDatabase, timed } from './support.ts';

const PAIR = 'eurusd';
const RANGE = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1) };

async function bareCopy(pool: pg.Pool, fam: string, data: string | Buffer): Promise<void> {
  const cols = family(fam).columns.map((c) => `"${c.name}"`);
  const c = await pool.connect();
  try {
    await c.query('begin');
    await c.query(`delete from bqx.${fam} where pair = $1`, [PAIR]);
    const s = c.query(
      copyFrom(`copy bqx.${fam} (pair, ts_utc, ${cols.join(', ')}) from stdin${typeof data === 'string' ? '' : ' (format binary)'}`),
    );
    const text = data;
    for (let i = 0; i < text.length; i += 1 << 22) if (!s.write(text.slice(i, i + (1 << 22)))) await once(s, 'drain');
    s.end();
    await once(s, 'finish');
    await c.query('commit');
  } finally {
    c.release();
  }
}

export async function benchTechnical() {
  const file = path.join(os.tmpdir(), 'bqx-bench-eurusd-2024.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 1, from: RANGE.from, to: RANGE.to, pairs: [PAIR] });
  const db = await freshDatabase();
  try {
    await migrate(db.pool);
    const ing = await ingestSource(db.pool, openSource(file));
    await refreshFamily(db.pool, 'bqx', PAIR, RANGE);
    const m1 = (
      await db.pool.query(
        `select ts_utc::text as t, (extract(epoch from ts_utc) * 1000000)::bigint as us from bqx.m1 where pair = $1 order by ts_utc`,
        [PAIR],
      )
    ).rows;
    const ts = m1.map((r) => r.t as string);
    const result: Record<string, unknown> = { rows: ing.inserted };
    let totalRefresh = 0;
    let totalBare = 0;
    for (const fam of ['technical_rate', 'technical_bqx']) {
      const phases: TechnicalPhases = { prepare: 0, read: 0, compute: 0, write: 0 };
      const run = await timed(() => refreshTechnical(db.pool, fam, PAIR, RANGE, phases));
      // the bare writes: the same rows and 30 columns of constants, built before the clock starts
      const consts = Array.from({ length: 30 }, (_, i) => Math.PI * (i + 1) * 1e-3);
      const text = ts.map((t) => `${PAIR}\t${t}\t${consts.join('\t')}\n`).join('');
      const bin = new BinaryCopyBuffer(PAIR, 30, m1.length);
      for (const r of m1) bin.push(r.us as number, consts);
      const bareText = await timed(() => bareCopy(db.pool, fam, text));
      const bare = await timed(() => bareCopy(db.pool, fam, bin.finish()));
      // peak memory of the refresh as its own process, as the runner would run it
      // (it also puts the computed rows back after the bare writes)
      const child = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          'maxrss_kb=%M',
          process.execPath,
          'bin/bqx.mjs',
          'refresh',
          '--family',
          fam,
          '--pairs',
          PAIR,
          '--from',
          '2024-01-01',
          '--to',
          '2025-01-01',
          '--json',
        ],
        { env: { ...process.env, DATABASE_URL: dbUrl(db.name) }, encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`bqx refresh failed: ${child.stderr}`);
      const peakMiB = Math.round(Number(/maxrss_kb=(\d+)/.exec(child.stderr)?.[1]) / 1024);
      totalRefresh += run.seconds;
      totalBare += bare.seconds;
      result[fam] = {
        columns: family(fam).columns.length,
        rowsWritten: run.value,
        seconds: run.seconds,
        phases,
        bareBinaryCopySeconds: bare.seconds,
        bareTextCopySeconds: bareText.seconds,
        vsBareBinary: run.seconds / bare.seconds,
        vsBareText: run.seconds / bareText.seconds,
        processPeakRssMiB: peakMiB,
      };
    }
    result.total = { seconds: totalRefresh, bareCopySeconds: totalBare, vsBare: totalRefresh / totalBare };
    return result;
  } finally {
    await db.drop();
  }
}
