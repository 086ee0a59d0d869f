/**
 * The dataset report's train/test PSI (src/pipeline/psiTrainTest.ts) against an independent
 * computation from the raw values of real Parquet files written by DuckDB: the edges are quantiles of
 * train, the counts are the raw values' counts on them, PSI and KS are the textbook formulas on those
 * counts, and the binned KS is within one bin's share of the exact two-sample KS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countOnEdges, psiKs, verdict } from '../../src/monitor/psi.ts';
import { DuckSession } from '../../src/pipeline/DuckSession.ts';
import { trainTestPsi } from '../../src/pipeline/psiTrainTest.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-psi-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function exactKs(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q),
    y = [...b].sort((p, q) => p - q);
  let i = 0,
    j = 0,
    d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe('train/test PSI of the dataset report', () => {
  it('matches PSI and KS computed from the raw values on the same bins', async () => {
    const duck = await DuckSession.open({ threads: 1 });
    try {
      // stable: the same law in both; shifted: the mean moves by 0.8 sd; flag: a 0/1 column whose rate
      // triples; sparse: NULL half the time (NULLs are not a bin)
      const gen = (n: number, seed: number, shift: number, rate: number) => `
        select
          sqrt(-2 * ln((hash(i, ${seed}) % 1000000 + 1) / 1000001.0)) * cos(2 * pi() * (hash(i, ${seed + 1}) % 1000000) / 1000000.0) as stable,
          sqrt(-2 * ln((hash(i, ${seed + 2}) % 1000000 + 1) / 1000001.0)) * cos(2 * pi() * (hash(i, ${seed + 3}) % 1000000) / 1000000.0) + ${shift} as shifted,
          case when hash(i, ${seed + 4}) % 1000 < ${rate} then 1.0 else 0.0 end as flag,
          case when i % 2 = 0 then (hash(i, ${seed + 5}) % 10000) / 100.0 end as sparse
        from range(${n}) t(i)`;
      const train = path.join(dir, 'train.parquet');
      const test = path.join(dir, 'test.parquet');
      await duck.run(`copy (${gen(20_000, 11, 0, 100)}) to '${train}' (format parquet)`);
      await duck.run(`copy (${gen(6_000, 101, 0.8, 300)}) to '${test}' (format parquet)`);
      const features = ['stable', 'shifted', 'flag', 'sparse'];
      const rep = await trainTestPsi(duck, [train], [test], features);
      expect(rep.features.map((f) => f.feature).sort()).toEqual([...features].sort());
      const raw = async (file: string, f: string) =>
        (await duck.rows<Record<string, number | null>>(`select "${f}" as x from read_parquet('${file}')`))
          .map((r) => r.x)
          .filter((x): x is number => x !== null);
      for (const r of rep.features) {
        const a = await raw(train, r.feature);
        const b = await raw(test, r.feature);
        // the edges are quantiles of train: at each k/32 the share below the edge is at most k/32 and the
        // share at or below it at least k/32 (whatever the quantile's tie rule), one edge per distinct value
        for (const e of r.edges) {
          const below = a.filter((x) => x < e).length / a.length;
          const atOrBelow = a.filter((x) => x <= e).length / a.length;
          expect(
            Array.from({ length: 31 }, (_, k) => (k + 1) / 32).some((q) => below <= q + 1e-12 && atOrBelow >= q - 1e-12),
            `${r.feature} ${e}`,
          ).toBe(true);
        }
        expect(new Set(r.edges).size).toBe(r.edges.length);
        const ha = countOnEdges(a, r.edges);
        const hb = countOnEdges(b, r.edges);
        const fl = (c: number, n: number) => Math.max(c / n, 1e-4);
        const psi = ha.reduce(
          (s, _, i) => s + (fl(hb[i], b.length) - fl(ha[i], a.length)) * Math.log(fl(hb[i], b.length) / fl(ha[i], a.length)),
          0,
        );
        expect(r.psi, r.feature).toBeCloseTo(psi, 10);
        expect(r.verdict).toBe(verdict(psi));
        const ks = exactKs(a, b);
        const resolution = Math.max(...ha.map((c) => c / a.length), ...hb.map((c) => c / b.length));
        expect(r.ks).toBeLessThanOrEqual(ks + 1e-12);
        expect(ks - r.ks).toBeLessThanOrEqual(resolution + 1e-12);
      }
      const by = Object.fromEntries(rep.features.map((f) => [f.feature, f]));
      expect(by.stable.verdict).toBe('ok');
      expect(by.shifted.verdict).toBe('drift');
      expect(by.flag.verdict).toBe('drift');
      expect(by.flag.bins).toBeLessThanOrEqual(3);
      expect(by.stable.bins).toBe(32);
      expect(rep.warnings.sort()).toEqual(['flag', 'shifted']);
      // the shifted normal: PSI of a 0.8 sd shift on 32 bins is about 0.8^2 = 0.64 (the binned limit)
      expect(by.shifted.psi).toBeGreaterThan(0.45);
      expect(by.shifted.psi).toBeLessThan(0.9);
      expect(psiKs([1, 2, 3], [1, 2, 3])).toEqual({ psi: 0, ks: 0 });
    } finally {
      duck.close();
    }
  });

  it("has DuckDB's own quantile_disc edges and count_if counts, NaN, -0, infinities and ties included", async () => {
    const duck = await DuckSession.open({ threads: 1 });
    try {
      // columns a quantile can trip on: NaN (DuckDB sorts it last, count() counts it), signed zeros,
      // infinities, long runs of one value, a column NULL throughout, one all NaN, and few values
      const gen = (n: number, seed: number) => `
        select
          case when hash(i, ${seed}) % 7 = 0 then 'NaN'::double when hash(i, ${seed}) % 11 = 0 then null
               else (hash(i, ${seed + 1}) % 1000) / 10.0 - 50 end as nan_mix,
          case hash(i, ${seed + 2}) % 4 when 0 then -0.0 when 1 then 0.0 when 2 then 'Infinity'::double else '-Infinity'::double end as zeros_inf,
          (hash(i, ${seed + 3}) % 3)::double as runs,
          null::double as empty,
          'NaN'::double as all_nan,
          case when i < 5 then i::double end as few,
          (hash(i, ${seed + 4}) % 100000)::bigint as ints
        from range(${n}) t(i)`;
      const train = path.join(dir, 'edge-train.parquet');
      const test = path.join(dir, 'edge-test.parquet');
      await duck.run(`copy (${gen(9_001, 7)}) to '${train}' (format parquet)`);
      await duck.run(`copy (${gen(3_003, 70)}) to '${test}' (format parquet)`);
      const features = ['nan_mix', 'zeros_inf', 'runs', 'empty', 'all_nan', 'few', 'ints'];
      const rep = await trainTestPsi(duck, [train], [test], features);
      const grid = `[${Array.from({ length: 31 }, (_, k) => `${k + 1} / 32`).join(', ')}]`;
      for (const f of features) {
        // the reference: DuckDB's quantile_disc over train, then count_if below each edge in both files
        const [q] = await duck.rows<{ q: number[] | null }>(`select quantile_disc("${f}", ${grid}) as q from read_parquet('${train}')`);
        const got = rep.features.find((r) => r.feature === f);
        if (q.q === null) {
          expect(got, f).toBeUndefined();
          continue;
        }
        const edges = [
          ...new Set(
            q.q
              .map(Number)
              .filter((v) => !Number.isNaN(v))
              .map((v) => v + 0),
          ),
        ].sort((a, b) => a - b);
        const counts = async (file: string) => {
          const below = edges.map((e) => `count_if("${f}" < ${Number.isFinite(e) ? e : `'${e}'::double`})`);
          const [r] = await duck.rows<{ c: Array<number | bigint> }>(
            `select [${[...below, `count("${f}")`].join(', ')}] as c from read_parquet('${file}')`,
          );
          const c = r.c.map(Number);
          return c.map((x, i) => x - (i === 0 ? 0 : c[i - 1]));
        };
        const m = psiKs(await counts(train), await counts(test));
        if (m === null) {
          expect(got, f).toBeUndefined();
          continue;
        }
        expect(got?.edges, f).toEqual(edges);
        expect(Object.is(got!.psi, m.psi) && Object.is(got!.ks, m.ks), `${f}: ${got!.psi} ${m.psi} ${got!.ks} ${m.ks}`).toBe(true);
      }
      // the tricky columns are all there: the zeros as one edge 0 beside the infinities, the runs as their values
      const by = Object.fromEntries(rep.features.map((f) => [f.feature, f]));
      expect(by.zeros_inf.edges).toEqual([Number.NEGATIVE_INFINITY, 0, Number.POSITIVE_INFINITY]);
      expect(by.runs.edges).toEqual([0, 1, 2]);
      expect(by.few.edges).toEqual([0, 1, 2, 3, 4]);
      expect(by.empty).toBeUndefined();
    } finally {
      duck.close();
    }
  });
});
