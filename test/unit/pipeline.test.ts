/**
 * Pipeline parts that need DuckDB but no Postgres: the binary COPY parser feeding DuckDB's appender
 * (bit-for-bit floats, NULLs, instants, rows split across network buffers and chunks), the ridge
 * solver, and the leakage checks catching a split without purge and a lag that reads the wrong row.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryCopyChunker } from '../../src/pipeline/BinaryCopyChunker.ts';
import { gram, ridgeSolve } from '../../src/pipeline/baseline.ts';
import { DuckSession, duckIdent, templateSql } from '../../src/pipeline/DuckSession.ts';
import { resolveFeatureSet } from '../../src/pipeline/featureSet.ts';
import { featureExpressions } from '../../src/pipeline/lag.ts';
import { checkLeakage } from '../../src/pipeline/leakage.ts';
import { buildDataset, tsLiteral } from '../../src/pipeline/split.ts';
import { writePairParquet } from '../../src/pipeline/writeParquet.ts';
import { Prng } from '../../src/synth/prng.ts';
import { tmpPath } from '../support/files.ts';

const PG_EPOCH_US = 946_684_800_000_000n;

/** The bytes Postgres sends for COPY (select ts, v1..vk) TO STDOUT (FORMAT binary). */
function copyBytes(rows: Array<{ us: bigint; values: Array<number | null> }>): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])];
  for (const r of rows) {
    const b = Buffer.alloc(2 + 12 + r.values.length * 12);
    let p = b.writeInt16BE(1 + r.values.length, 0);
    p = b.writeInt32BE(8, p);
    p = b.writeBigInt64BE(r.us - PG_EPOCH_US, p);
    for (const v of r.values) {
      if (v === null) p = b.writeInt32BE(-1, p);
      else {
        p = b.writeInt32BE(8, p);
        p = b.writeDoubleBE(v, p);
      }
    }
    parts.push(b.subarray(0, p));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

describe('pipeline parts on DuckDB', () => {
  let duck: DuckSession;
  beforeAll(async () => {
    duck = await DuckSession.open({ threads: 2 });
  });
  afterAll(() => duck.close());

  it('parses binary COPY across buffer and chunk boundaries into DuckDB, bit for bit', async () => {
    const rng = new Prng(21);
    const start = BigInt(Date.UTC(2024, 6, 1)) * 1000n;
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      us: start + BigInt(i) * 60_000_000n,
      values: [rng.gauss() * 1e-5, i % 7 === 0 ? null : rng.gauss() * 1e6, i % 1000 === 3 ? -0 : Math.PI * i],
    }));
    const bytes = copyBytes(rows);
    const appender = await duck.createColumnTable('copy_t', ['a', 'b', 'c']);
    const chunker = new BinaryCopyChunker(3, 'test');
    const emit = appender.append.bind(appender);
    // feed fragments of 1 to 700 bytes, so tuples, fields and the trailer straddle buffers
    for (let p = 0; p < bytes.length; ) {
      const len = 1 + Math.floor(rng.next() * 700);
      chunker.push(bytes.subarray(p, p + len), emit);
      p += len;
    }
    chunker.end(emit);
    appender.close();
    expect(chunker.rowsTotal).toBe(rows.length);
    const back = await duck.rows<{ us: bigint; a: number; b: number | null; c: number }>(
      `select epoch_us(ts_utc) as us, a, b, c from copy_t order by rowid`,
    );
    expect(back).toHaveLength(rows.length);
    for (const [i, r] of rows.entries()) {
      expect(back[i].us, `ts of row ${i}`).toBe(r.us);
      expect(back[i].a).toBe(r.values[0]);
      expect(back[i].b).toBe(r.values[1]);
      expect(Object.is(back[i].c, r.values[2]), `c of row ${i}`).toBe(true);
    }
  });

  it('refuses a COPY stream cut short', () => {
    const bytes = copyBytes([{ us: 1_700_000_000_000_000n, values: [1, 2] }]);
    const chunker = new BinaryCopyChunker(2, 'features of eurusd');
    chunker.push(bytes.subarray(0, bytes.length - 5), () => {});
    expect(() => chunker.end(() => {})).toThrow(/features of eurusd: the COPY stream ended early/);
  });

  it('solves the ridge normal equations', () => {
    const rng = new Prng(4);
    const p = 6;
    const M = Array.from({ length: 50 }, () => Array.from({ length: p }, () => rng.gauss()));
    const A = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) A[i * p + j] = M.reduce((s, r) => s + r[i] * r[j], 0);
    const b = Float64Array.from({ length: p }, () => rng.gauss());
    for (const lambda of [0, 0.5, 100]) {
      const x = ridgeSolve(A, b, p, lambda);
      for (let i = 0; i < p; i++) {
        let s = lambda * x[i];
        for (let j = 0; j < p; j++) s += A[i * p + j] * x[j];
        expect(s).toBeCloseTo(b[i], 10);
      }
    }
  });

  it("computes the baseline's Gram matrix entry by entry in each dot product's own order (the same bits)", () => {
    const rng = new Prng(8);
    // 1 to 11 columns: every remainder of the four-at-a-time rows, and columns of mixed scale
    for (const p of [1, 3, 4, 5, 11]) {
      const X = Array.from({ length: p }, (_, j) => Float64Array.from({ length: 1013 }, () => rng.gauss() * 10 ** (j % 4)));
      const A = gram(X);
      for (let i = 0; i < p; i++)
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let k = 0; k < X[i].length; k++) s += X[i][k] * X[j][k];
          expect(Object.is(A[i * p + j], s), `${p}: (${i}, ${j})`).toBe(true);
        }
    }
  });

  describe('leakage checks', () => {
    const fset = resolveFeatureSet({ features: 'bollinger_rate', lags: [5, 10], horizons: [15, 30] });
    const pair = 'eurusd';
    const t = { series: 'series_leak', dataset: 'dataset_leak' };
    const from = Date.UTC(2024, 6, 1, 2);
    const to = Date.UTC(2024, 6, 3);
    const cuts = { cut1: new Date(Date.UTC(2024, 6, 2, 6)), cut2: new Date(Date.UTC(2024, 6, 2, 15)), bars: 0 };

    beforeAll(async () => {
      // a minute series over two days with random features and labels
      const cols = fset.base.map((c) => `random() as ${duckIdent(c.name)}`).join(', ');
      const labels = fset.labels.map((l) => `random() as ${duckIdent(l)}`).join(', ');
      await duck.run(`select setseed(0.25)`);
      await duck.run(
        `create table ${t.series} as select (range)::bigint as bar, ${tsLiteral(Date.UTC(2024, 6, 1))} + to_minutes(range) as ts_utc, ${cols}, ${labels} from range(2880)`,
      );
    });

    /** Writes the dataset view (the pipeline's own, or a broken variant) to Parquet and checks it. */
    async function run(datasetSql: string | null, mutate?: (file: string) => Promise<void>) {
      if (datasetSql === null) await buildDataset(duck, t, fset, cuts, from, to);
      else await duck.run(datasetSql);
      const dir = tmpPath(`leak-${Math.random().toString(36).slice(2)}`);
      const files = await writePairParquet(duck, dir, pair, t.dataset, fset);
      const paths = Object.values(files).map((f) => path.join(dir, f.path));
      if (mutate) await mutate(paths[0]);
      try {
        return await checkLeakage(duck, pair, t, fset, cuts, to, 1, paths, 200);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    it("pass on the pipeline's own split", async () => {
      const r = await run(null);
      expect(r.featureReach.columnsChecked).toBe(20);
    });

    function datasetVars() {
      return {
        dataset: duckIdent(t.dataset),
        series: duckIdent(t.series),
        cut1: tsLiteral(cuts.cut1),
        cut2: tsLiteral(cuts.cut2),
        from: tsLiteral(from),
        to: tsLiteral(to),
        row_from: tsLiteral(from),
        row_to: tsLiteral(to),
        max_horizon: 30,
        warmup: fset.warmup,
        feature_columns: featureExpressions(fset).join(', '),
        label_columns: fset.labels.map(duckIdent).join(', '),
      };
    }

    it('fail a split without the purge', async () => {
      const sql = templateSql('dataset', datasetVars()).replace(/and label_end_ts < case split[^\n]*/, '');
      await expect(run(sql)).rejects.toMatchObject({
        code: 'BQX_LEAKAGE',
        message: expect.stringMatching(/eurusd: leakage check "split order" failed/),
      });
    });

    it('fail a purge one bar short', async () => {
      const sql = templateSql('dataset', { ...datasetVars(), max_horizon: 29 });
      await expect(run(sql)).rejects.toMatchObject({ code: 'BQX_LEAKAGE' });
    });

    it('fail a lag that reads a later row', async () => {
      const sql = templateSql('dataset', datasetVars());
      await expect(
        run(sql, async (file) => {
          // rewrite the train file with one lag shifted a row towards the present
          await duck.run(
            `copy (select * replace (lead("rate_bb_upper_20_lag5") over (order by ts_utc) as "rate_bb_upper_20_lag5") from read_parquet('${file}')) to '${file}.x' (format parquet)`,
          );
          fs.renameSync(`${file}.x`, file);
        }),
      ).rejects.toMatchObject({ code: 'BQX_LEAKAGE', message: expect.stringMatching(/feature reach/) });
    });
  });
});
