/**
 * Issue 9: one pair-month of every feature through the wide view bqx.features_eurusd, next to reading the
 * same rows from the base partitions in the same run: (b) the same join written against the month's
 * partitions directly, and (c) each month partition read on its own (the floor: the bytes themselves).
 * Each read streams `COPY (query) TO STDOUT` to the client; median of 3.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { migrate } from '../src/db/migrate.ts';
import { FAMILIES } from '../src/features/catalog/index.ts';
import { viewColumnName } from '../src/features/sqlgen/views.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshableFamilies } from '../src/runner/refreshFamily.ts';
import { rangePlan, runPairs } from '../src/runner/runPairs.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { freshDatabase, median, timed } from './support.ts';

const TO = Date.UTC(2024, 7, 1);

async function copyOut(pool: pg.Pool, query: string): Promise<number> {
  const c = await pool.connect();
  try {
    const s = c.query(copyTo(`copy (${query}) to stdout`));
    let bytes = 0;
    s.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    await once(s, 'end');
    return bytes;
  } finally {
    c.release();
  }
}

export async function benchViews() {
  const file = path.join(os.tmpdir(), 'bqx-bench-eurusd-2024-06-07.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 4, from: Date.UTC(2024, 5, 1), to: TO, pairs: ['eurusd'] });
  const db = await freshDatabase();
  try {
    await migrate(db.pool);
    await ingestSource(db.pool, openSource(file));
    await runPairs(db.pool, ['eurusd'], rangePlan(refreshableFamilies(), Date.UTC(2024, 5, 1), TO), {
      concurrency: 1,
      trigger: 'backfill',
    });
    const fams = FAMILIES.filter((f) => f.family !== 'labels');
    const cols = fams.flatMap((f) => f.columns.map((c) => `t_${f.family}."${c.name}" as "${viewColumnName(f.family, c.name)}"`));
    const direct = `select t_m1.pair, t_m1.ts_utc, ${cols.join(', ')} from bqx.m1_eurusd_2024_07 t_m1 ${fams
      .slice(1)
      .map((f) => `left join bqx.${f.family}_eurusd_2024_07 t_${f.family} on t_${f.family}.ts_utc = t_m1.ts_utc`)
      .join(' ')}`;
    const view = `select * from bqx.features_eurusd where ts_utc >= '2024-07-01' and ts_utc < '2024-08-01'`;
    const runs = { view: [] as number[], directJoin: [] as number[], partitionsApart: [] as number[] };
    let bytes = { view: 0, directJoin: 0, partitionsApart: 0 };
    for (let i = 0; i < 3; i++) {
      const v = await timed(() => copyOut(db.pool, view));
      const d = await timed(() => copyOut(db.pool, direct));
      const p = await timed(async () => {
        let b = 0;
        for (const f of fams) b += await copyOut(db.pool, `select * from bqx.${f.family}_eurusd_2024_07`);
        return b;
      });
      runs.view.push(v.seconds);
      runs.directJoin.push(d.seconds);
      runs.partitionsApart.push(p.seconds);
      bytes = { view: v.value, directJoin: d.value, partitionsApart: p.value };
    }
    const rows = (await db.pool.query(`select count(*)::int as n from bqx.m1_eurusd_2024_07`)).rows[0].n;
    return {
      rows,
      columns: 2 + cols.length,
      bytes,
      seconds: { view: median(runs.view), directJoin: median(runs.directJoin), partitionsApart: median(runs.partitionsApart) },
      viewVsDirectJoin: median(runs.view) / median(runs.directJoin),
      viewVsPartitionsApart: median(runs.view) / median(runs.partitionsApart),
    };
  } finally {
    await db.drop();
  }
}
