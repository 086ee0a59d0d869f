/**
 * The generator's building blocks, each run alone in PostgreSQL on a small integer series and checked
 * against sums written out here by brute force: the single-series block sums (rolling.ts), the
 * multi-series ones with packed arrays (multiRolling.ts), the window-only centred sums (centredSums.ts)
 * and the sparse-table extremes. Integer values keep every float8 sum exact, so the checks are equalities.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centredSumsSql, centredWindowSum } from '../../src/features/sqlgen/centredSums.ts';
import {
  countsRead,
  type MultiSpec,
  multiBlockSumsSql,
  multiLagItems,
  multiStage1Cols,
  multiUnpackItems,
  windowCount,
  windowSum,
} from '../../src/features/sqlgen/multiRolling.ts';
import {
  BLOCK,
  blockSumsSql,
  prevBlockItems,
  type SumSpec,
  sparseLevel,
  sparseTableSql,
  windowExtremeItems,
  windowLagItems,
  windowSumExprs,
} from '../../src/features/sqlgen/rolling.ts';
import { createDatabase, type TestDatabase } from '../support/db.ts';

const N = 700;
/** A deterministic integer series (a small LCG), and a second one for cross products. */
const Y = Array.from({ length: N }, (_, i) => ((i * 7919 + 13) % 101) - 50);
const V = Array.from({ length: N }, (_, i) => ((i * 104729 + 7) % 17) + 1);
const SRC = `(select r, r as ts_utc, y, v from unnest($1::float8[], $2::float8[]) with ordinality as t(y, v, r0), lateral (select (r0 - 1)::bigint as r) rr)`;
const params = [Y, V];

/** sum over the W rows ending at t of f(k), k the row. */
const windowOf = (t: number, W: number, f: (k: number) => number) => {
  let s = 0;
  for (let k = t - W + 1; k <= t; k++) s += f(k);
  return s;
};

describe('generator building blocks, run in PostgreSQL against brute-force sums', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await createDatabase({ empty: true });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("rolling.ts: block running sums give the window sums of d, d^2, rr d, rr^2 d in the current block's coordinates", async () => {
    const spec: SumSpec = { sums: ['n', 'd', 'dd', 'rd', 'rrd'] };
    for (const W of [5, 60, 128]) {
      const e = windowSumExprs(W, spec);
      const stage2 = `(select *, ${[...windowLagItems(W, spec), ...prevBlockItems(spec)].join(', ')} from ${blockSumsSql(SRC, spec)} s1 window o as (order by r))`;
      const { rows } = await db.pool.query(
        `select r::int as r, ${spec.sums.map((s) => `${e[s]} as "${s}"`).join(', ')} from ${stage2} s2 order by r`,
        params,
      );
      for (const row of rows.filter((x) => x.r >= W - 1)) {
        const t = row.r as number;
        const start = t - (t % BLOCK);
        const a = Y[start]!;
        const rr = (k: number) => k - start;
        expect({ t, W, n: row.n, d: row.d, dd: row.dd, rd: row.rd, rrd: row.rrd }).toEqual({
          t,
          W,
          n: W,
          d: windowOf(t, W, (k) => Y[k]! - a),
          dd: windowOf(t, W, (k) => (Y[k]! - a) ** 2),
          rd: windowOf(t, W, (k) => rr(k) * (Y[k]! - a)),
          rrd: windowOf(t, W, (k) => rr(k) ** 2 * (Y[k]! - a)),
        });
      }
    }
  });

  it('multiRolling.ts: packed multi-series sums give the window sums of products, anchored or plain, and exact counts', async () => {
    const spec: MultiSpec = {
      block: 64,
      series: [
        { name: 'x', expr: 'y', anchored: true },
        { name: 'p', expr: 'v', anchored: false },
      ],
      windows: [
        { W: 20, terms: [['x'], ['x', 'x'], ['x', 'p'], ['rr', 'x']] },
        { W: 64, terms: [['x', 'p'], ['p']] },
      ],
      counts: ['big'],
    };
    const src = `(select r, ts_utc, y, v, sum((v > 9)::int) over (order by r) as k_big from ${SRC} s window o as (order by r))`;
    const exprs = [
      ...spec.windows.flatMap((w) => w.terms.map((f) => `${windowSum(spec, w.W, f)} as "${w.W}:${f.join('*')}"`)),
      `${windowCount(spec, 'big', 20)} as "big20"`,
    ];
    const countRows = [20];
    const stage2 = `(select r, ts_utc, rr, ${multiStage1Cols(spec).join(', ')}, ${multiLagItems(spec, countRows).join(', ')} from ${multiBlockSumsSql(src, spec, ['k_big'])} s1 window o as (order by r))`;
    const stage2b = `(select r, rr, d_x, d_p, ${multiUnpackItems(spec, countRows, countsRead(spec, exprs)).join(', ')} from ${stage2} s2 offset 0)`;
    const { rows } = await db.pool.query(`select r::int as r, ${exprs.join(', ')} from ${stage2b} s2b order by r`, params);
    let checked = 0;
    for (const row of rows.filter((x) => x.r >= 63)) {
      const t = row.r as number;
      const start = t - (t % 64);
      const a = Y[start]!;
      const x = (k: number) => Y[k]! - a;
      const rr = (k: number) => k - start;
      expect({ t, ...row }).toEqual({
        t,
        r: t,
        '20:x': windowOf(t, 20, x),
        '20:x*x': windowOf(t, 20, (k) => x(k) ** 2),
        '20:x*p': windowOf(t, 20, (k) => x(k) * V[k]!),
        '20:rr*x': windowOf(t, 20, (k) => rr(k) * x(k)),
        '64:x*p': windowOf(t, 64, (k) => x(k) * V[k]!),
        '64:p': windowOf(t, 64, (k) => V[k]!),
        big20: windowOf(t, 20, (k) => (V[k]! > 9 ? 1 : 0)),
      });
      checked++;
    }
    expect(checked).toBe(N - 63);
  });

  it('multiRolling.ts: stage 2b unpacks exactly the counts the expressions read (no call order)', () => {
    const spec: MultiSpec = {
      block: 64,
      series: [{ name: 'x', expr: 'y', anchored: true }],
      windows: [{ W: 20, terms: [['x']] }],
      counts: ['a', 'b'],
    };
    expect([...countsRead(spec, [windowCount(spec, 'b', 20), 'lk5_zz, lk7_a'])].sort()).toEqual(['20:b', '7:a']);
    const items = multiUnpackItems(spec, [5, 20], countsRead(spec, [windowCount(spec, 'b', 20)]));
    expect(items.filter((i) => /\bk_|lk\d+_/.test(i))).toEqual(['kv[2] as k_b', 'lk20[2] as lk20_b']);
    expect(() => windowCount(spec, 'c', 20)).toThrow(/no running count c/);
  });

  it("centredSums.ts: window-only sums about the first value of the window length's block", async () => {
    const windows = [20, 50];
    const terms = [
      { name: '1', factors: [''] },
      { name: '2', factors: ['', ''] },
    ];
    const sums = centredSumsSql(SRC, { windows, series: [{ suffix: '', expr: 'y' }], terms });
    const items = windows.flatMap((W) => terms.map((t) => `${centredWindowSum(W, t.name)} as "${W}:${t.name}"`));
    const { rows } = await db.pool.query(
      `select r::int as r, ${items.join(', ')} from ${sums} s window o as (order by r) order by r`,
      params,
    );
    for (const row of rows.filter((x) => x.r >= 49)) {
      const t = row.r as number;
      const want: Record<string, number> = { r: t };
      for (const W of windows) {
        const a = Y[t - (t % W)]!;
        want[`${W}:1`] = windowOf(t, W, (k) => Y[k]! - a);
        want[`${W}:2`] = windowOf(t, W, (k) => (Y[k]! - a) ** 2);
      }
      expect(row).toEqual(want);
    }
  });

  it('rolling.ts: sparse-table extremes over W rows ending `offset` rows back', async () => {
    const cases = [
      { W: 5, offset: 0 },
      { W: 20, offset: 1 },
      { W: 75, offset: 1 },
      { W: 120, offset: 0 },
    ];
    const levels = [...new Set(cases.map((c) => sparseLevel(c.W)))];
    const items = cases.flatMap((c, i) => windowExtremeItems(c.W, c.offset, `e${i}`));
    const table = sparseTableSql(`(select r, ts_utc, y from ${SRC} s0)`, Math.max(...levels), levels);
    const { rows } = await db.pool.query(
      `select r::int as r, ${items.join(', ')} from ${table} s window o as (order by r) order by r`,
      params,
    );
    for (const row of rows.filter((x) => x.r >= 121)) {
      const t = row.r as number;
      const want: Record<string, number> = { r: t };
      cases.forEach((c, i) => {
        const w = Y.slice(t - c.offset - c.W + 1, t - c.offset + 1);
        want[`e${i}_max`] = Math.max(...w);
        want[`e${i}_min`] = Math.min(...w);
      });
      expect(row).toEqual(want);
    }
  });
});
