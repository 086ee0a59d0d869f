/**
 * Ingest of one pair-year (about 370k bars) from a generic CSV, next to a plain COPY of the same file
 * into an unpartitioned table (with and without the primary key bqx.m1 has), each on a fresh database,
 * interleaved and repeated. Goal (issue 3): bqx ingest within 2x of the plain COPY. The file's range meets
 * no stored bar, so bqx takes the fast path: a COPY into the pair's table bqx.m1_eurusd, recording what
 * bqx.m1's triggers would (after); the fast path into bqx.m1 itself (into: 'm1', the before: its
 * COPY inserts row by row under the transition-table triggers) and the staged path (staging, conflict
 * checks, the move; fastPathRows: 0), its move into the pair's table too and into bqx.m1 (the before),
 * are measured alongside. Per round, the ratios to that round's plain
 * COPY too: on a loaded machine neighbours in time share the load, so their median is steadier.
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
  const bqxIntoM1: number[] = [];
  const bqxStagedIntoM1: number[] = [];
  const phases: Record<string, { stage: number; check: number; place: number }[]> = { pair: [], m1: [], staged: [], stagedM1: [] };
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
    for (const [name, opts, sink, path] of [
      ['pair', {}, bqx, 'direct'],
      ['m1', { into: 'm1' }, bqxIntoM1, 'direct'],
      ['staged', { fastPathRows: 0 }, bqxStaged, 'staged'],
      ['stagedM1', { fastPathRows: 0, into: 'm1' }, bqxStagedIntoM1, 'staged'],
    ] as const) {
      const db = await freshDatabase();
      await migrate(db.pool);
      const t = await timed(() => ingestSource(db.pool, openSource(file), opts));
      if (t.value.inserted !== rows) throw new Error(`ingest inserted ${t.value.inserted}, expected ${rows}`);
      if (t.value.path !== path) throw new Error(`ingest took the ${t.value.path} path, expected ${path}`);
      sink.push(t.seconds);
      phases[name].push(t.value.phases);
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
    intoM1RatioVsPlainCopy: median(bqxIntoM1) / median(plain),
    perRoundRatio: {
      pair: median(bqx.map((x, i) => x / plain[i])),
      m1: median(bqxIntoM1.map((x, i) => x / plain[i])),
      staged: median(bqxStaged.map((x, i) => x / plain[i])),
      stagedM1: median(bqxStagedIntoM1.map((x, i) => x / plain[i])),
      pairVsPk: median(bqx.map((x, i) => x / plainPk[i])),
    },
    // the place phase alone (partitions, baselines, the COPY or the move, and its recording), per way
    placeMedian: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v.map((p) => p.place))])),
    phases,
    stagedRatioVsPlainCopyWithPk: median(bqxStaged) / median(plainPk),
    samples: { plain, plainPk, bqx, bqxIntoM1, bqxStaged, bqxStagedIntoM1 },
  };
  return res;
}
