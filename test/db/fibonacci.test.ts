/**
 * fibonacci_features against plain loops (spec section 11): every column on the synthetic market for
 * three pairs (one with a flat stretch, one with missing minutes), exact NULL patterns, idempotent and
 * range-independent refreshes, and the causality test of spec section 8.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { family } from '../../src/features/catalog/index.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { refreshFamily } from '../../src/runner/refreshFamily.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { compareRows } from '../support/reference/compare.ts';
import { type FibBar, fibonacciReference } from '../support/reference/fibonacciReference.ts';

const FROM = Date.UTC(2024, 5, 27); // across a weekend and the 1 July month boundary
const TO = Date.UTC(2024, 6, 4);
const range = { from: FROM, to: TO };
const PAIRS = ['eurusd', 'usdjpy', 'gbpaud'];
const FLAT = { start: 2000, length: 300 }; // eurusd: longer than the 240-bar window
const F = 'fibonacci_features';
const cols = family(F).columns.map((c) => c.name);

async function fixture(): Promise<string> {
  const file = tmpPath('fibonacci.csv');
  await synthToFile(file, { seed: 11, from: FROM, to: TO, pairs: PAIRS });
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const eur = lines
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l.startsWith('eurusd,'))
    .map(([, i]) => i);
  const ref = lines[eur[FLAT.start]].split(',');
  for (let k = FLAT.start; k < FLAT.start + FLAT.length; k++) {
    const f = lines[eur[k]].split(',');
    lines[eur[k]] = [f[0], f[1], ref[5], ref[5], ref[5], ref[5], ...f.slice(6)].join(',');
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('fibonacci_features', () => {
  const t = useTestDatabase();
  const bars = async (pair: string): Promise<FibBar[]> =>
    (await t.pool.query(`select rate_index, high_index, low_index from bqx.m1 where pair = $1 order by ts_utc`, [pair])).rows;
  const rowsOf = async (pair: string) => (await t.pool.query(`select * from bqx.${F} where pair = $1 order by ts_utc`, [pair])).rows;
  const digest = async (pair: string, upTo?: Date) =>
    (
      await t.pool.query(
        `select md5(string_agg(x::text, '|' order by ts_utc)) as h, count(*)::int as n from bqx.${F} x where pair = $1 and ($2::timestamptz is null or ts_utc <= $2)`,
        [pair, upTo ?? null],
      )
    ).rows[0];

  beforeAll(async () => {
    await ingestSource(t.pool, openSource(await fixture()));
    // gbpaud misses 7 minutes in the middle of its series: windows count bars, so they run over the gap
    await t.pool.query(`delete from bqx.m1 where pair = 'gbpaud' and ts_utc >= '2024-07-02 10:00Z' and ts_utc < '2024-07-02 10:07Z'`);
    for (const p of PAIRS) await refreshFamily(t.pool, F, p, range);
  });

  it('computes the 20 columns as plain loops over each window give them, within 1e-12', async () => {
    for (const pair of PAIRS) {
      const b = await bars(pair);
      const actual = await rowsOf(pair);
      expect(actual, pair).toHaveLength(b.length);
      const expected = fibonacciReference(b);
      // Extremes are exact and each value is the same float8 expression: agreement to rounding.
      expect(compareRows(actual, expected, cols, { rel: 1e-12 }), pair).toEqual([]);
      // the comparison saw values: every column is populated after the 1440-bar warm-up
      for (const c of cols) expect(actual.filter((r) => r[c] !== null).length, `${pair} ${c}`).toBeGreaterThan(actual.length * 0.7);
      expect(actual[1438].fib_nearest_dist, pair).toBeNull();
      expect(actual[1439].fib_nearest_dist, pair).not.toBeNull();
      expect(actual[58].fib_position_60).toBeNull();
      expect(actual[59].fib_position_60).not.toBeNull();
      // the nearest level is one of the five ratios, positions lie in [0, 1]
      expect(new Set(actual.map((r) => r.fib_nearest_level))).toEqual(new Set([null, 0.236, 0.382, 0.5, 0.618, 0.786]));
      for (const r of actual) if (r.fib_position_240 !== null) expect(r.fib_position_240 >= 0 && r.fib_position_240 <= 1).toBe(true);
    }
  });

  it('gives a flat window zero distances and no position', async () => {
    const r = (await rowsOf('eurusd'))[FLAT.start + FLAT.length - 1];
    for (const lv of ['236', '382', '500', '618', '786']) expect(r[`fib_dist_${lv}_240`]).toBe(0);
    expect(r.fib_position_240).toBeNull();
    expect(r.fib_position_60).toBeNull();
    expect(r.fib_position_1440).not.toBeNull();
    expect(r.fib_nearest_dist).toBe(0);
    expect(r.fib_nearest_level).toBe(0.236); // ties: the shorter window, then the smaller ratio
  });

  it('is idempotent and independent of the refresh range', async () => {
    const before = await digest('eurusd');
    await refreshFamily(t.pool, F, 'eurusd', range);
    expect(await digest('eurusd')).toEqual(before);
    await refreshFamily(t.pool, F, 'eurusd', { from: Date.UTC(2024, 6, 2, 13, 7), to: TO });
    await refreshFamily(t.pool, F, 'eurusd', { from: Date.UTC(2024, 5, 28), to: Date.UTC(2024, 6, 2, 14) });
    expect(await digest('eurusd')).toEqual(before);
  });

  it('passes the causality test: recomputed on history truncated at a random bar, nothing up to it changes', async () => {
    const ts = (await t.pool.query(`select ts_utc from bqx.m1 where pair = 'usdjpy' order by ts_utc`)).rows.map((r) => r.ts_utc as Date);
    const cut = ts[Math.floor(ts.length * 0.6180339)];
    const full = await digest('usdjpy', cut);
    expect(full.n).toBeGreaterThan(3000);
    await t.pool.query(`delete from bqx.m1 where pair = 'usdjpy' and ts_utc > $1`, [cut]);
    await refreshFamily(t.pool, F, 'usdjpy', range);
    expect(await digest('usdjpy')).toEqual(full);
  });
});
