/**
 * Ingest of one pair-year (about 370k bars) from a generic CSV, next to a plain COPY of the same file
 * into an unpartitioned table (with and without the primary key bqx.m1 has), each on a fresh database,
 * interleaved and repeated. Goal (issue 3): bqx ingest within 2x of the plain COPY. The file's range meets
 * no stored bar, so bqx takes the fast path (straight into bqx.m1); the staged path (staging, conflict
 * checks, the move), forced with fastPathRows: 0, is measured alongside as the before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../src/db/migrate.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { freshDatabase, median, readSql, timed } from './support.ts';

export async function benchIngest(reps = 5) {
  const file = path.join(os.tmpdir(), 'bqx-bench-eurusd-2024.csv');
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 1, from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1), pairs: ['eurusd'] });
  const rows = fs.readFileSync(file, 'utf8').split('\n').length - 2;
  const plain: number[] = [];
  const plainPk: number[] = [];
  const bqx: number[] = [];
  const bqxStaged: number[] = [];
  for (let i = 0; i < reps; i++) {
    for (const [table, sink] of [
      ['bench_plain_bars', plain],
      ['bench_plain_bars_pk', plainPk],
    ] as const) {
      const db = await freshDatabase();
      await db.pool.query(readSql(table === 'bench_plain_bars' ? 'plain_bars_table' : 'plain_bars_table_pk'));
      const c = await db.pool.connect();
      const t = await timed(() =>
        pipeline(fs.createReadStream(file), c.query(copyFrom(`copy ${table} from stdin with (format csv, header true)`))),
      );
      c.release();
      sink.push(t.seconds);
      await db.drop();
    }
    for (const [fastPathRows, sink, path] of [
      [undefined, bqx, 'direct'],
      [0, bqxStaged, 'staged'],
    ] as const) {
      const db = await freshDatabase();
      await migrate(db.pool);
      const t = await timed(() => ingestSource(db.pool, openSource(file), { fastPathRows }));
      if (t.value.inserted !== rows) throw new Error(`ingest inserted ${t.value.inserted}, expected ${rows}`);
      if (t.value.path !== path) throw new Error(`ingest took the ${t.value.path} path, expected ${path}`);
      sink.push(t.seconds);
      await db.drop();
    }
  }
  const res = {
    rows,
    plainCopySeconds: median(plain),
    plainCopyWithPkSeconds: median(plainPk),
    bqxIngestSeconds: median(bqx),
    bqxStagedIngestSeconds: median(bqxStaged),
    ratioVsPlainCopy: median(bqx) / median(plain),
    ratioVsPlainCopyWithPk: median(bqx) / median(plainPk),
    stagedRatioVsPlainCopy: median(bqxStaged) / median(plain),
    stagedRatioVsPlainCopyWithPk: median(bqxStaged) / median(plainPk),
    samples: { plain, plainPk, bqx, bqxStaged },
  };
  return res;
}
