/**
 * The ingest's fast path (issue 20 item 3): a file whose range meets no stored bar goes straight into
 * bqx.m1 with one COPY. Each case runs the same files through the fast path and, on a second store, through
 * staging (fastPathRows: 0 forces it), and compares what they leave behind and what they report.
 */
import fs from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BqxError } from '../../src/db/errors.ts';
import { type IngestReport, ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { createDatabase, type TestDatabase } from '../support/db.ts';
import { tmpPath, writeTmp } from '../support/files.ts';
import { storeFingerprint } from '../support/fingerprint.ts';

const read = (name: string) => fs.readFileSync(new URL(`../support/sql/${name}.sql`, import.meta.url), 'utf8');
const outcome = async (pool: pg.Pool) => (await pool.query(read('ingest_outcome'))).rows[0];

const FROM = Date.UTC(2024, 5, 26); // before the base instant 2024-07-01
const TO = Date.UTC(2024, 6, 6);
let header: string;
let rows: string[];

beforeAll(async () => {
  const file = tmpPath('fast-all.csv');
  await synthToFile(file, { seed: 5, from: FROM, to: TO, pairs: ['eurusd', 'usdjpy'] });
  [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
});

/** The fixture's bars in [from, to) (ms), optionally with a line edited, as a file. */
function slice(name: string, from: number, to: number, edit?: (fields: string[]) => string[]): string {
  const kept = rows.filter((l) => {
    const ts = Date.parse(l.split(',')[1]);
    return ts >= from && ts < to;
  });
  const out = edit ? kept.map((l, i) => (i === 0 ? edit(l.split(',')).join(',') : l)) : kept;
  return writeTmp(name, [header, ...out].join('\n') + '\n');
}
const day = (d: number) => Date.UTC(2024, 5, d); // June d (July 1 = June 31)

const ingest = (pool: pg.Pool, f: string, opts: { staged?: boolean; rejectFile?: string; into?: 'pair' | 'm1' } = {}) =>
  ingestSource(pool, openSource(f), {
    fastPathRows: opts.staged ? 0 : undefined,
    rejectFile: opts.rejectFile,
    into: opts.into,
  });
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as BqxError;
  }
  throw new Error('expected the ingest to fail');
};
/** A report without what differs by path and by clock. */
const same = (r: IngestReport) => {
  const { seconds: _s, phases: _p, path: _path, ...rest } = r;
  return rest;
};

describe('ingest fast path', () => {
  let fast: TestDatabase & { drop(): Promise<void> };
  let staged: TestDatabase & { drop(): Promise<void> };
  beforeAll(async () => {
    fast = await createDatabase();
    staged = await createDatabase();
  });
  afterAll(async () => {
    await fast?.drop();
    await staged?.drop();
  });

  it('a file into an empty range goes straight into bqx.m1 and leaves the store the staged path leaves', async () => {
    // before the base instant (indices NULL), then the base instant itself (B found in the file, the
    // earlier bars back-filled), then earlier bars under a watermark (dirty marks), then a reject file
    const steps = [
      slice('f1.csv', day(28), day(31)),
      slice('f2.csv', day(31), day(34)),
      slice('f0.csv', day(26), day(28)),
      slice('f3.csv', day(34), day(35), (f) => {
        f[5] = '-1';
        return f;
      }),
    ];
    for (const [i, f] of steps.entries()) {
      if (i === 2) {
        for (const db of [fast, staged]) await db.pool.query(read('set_watermark'), ['bqx', 'eurusd', new Date(day(30))]);
      }
      const rejectFile = i === 3 ? tmpPath(`rejects-fast-${i}.csv`) : undefined;
      const stagedRejects = i === 3 ? tmpPath(`rejects-staged-${i}.csv`) : undefined;
      const a = await ingest(fast.pool, f, { rejectFile });
      const b = await ingest(staged.pool, f, { staged: true, rejectFile: stagedRejects });
      expect(a.path).toBe('direct');
      expect(b.path).toBe('staged');
      expect({ ...same(a), rejectFile: undefined }).toEqual({ ...same(b), rejectFile: undefined });
      if (rejectFile) expect(fs.readFileSync(rejectFile, 'utf8')).toBe(fs.readFileSync(stagedRejects!, 'utf8'));
      expect(await outcome(fast.pool)).toEqual(await outcome(staged.pool));
    }
    const o = await outcome(fast.pool);
    expect(o.m1_rows).toBe(rows.filter((l) => Date.parse(l.split(',')[1]) < day(35)).length - 1);
    expect(o.baselines).toMatch(/eurusd \d/);
    expect(o.watermarks).toMatch(/eurusd bqx .* 2024-06-26/);
    // no NULL index left once B is known
    expect((await fast.pool.query('select count(*)::int as n from bqx.m1 where rate_index is null')).rows[0].n).toBe(0);
  }, 240_000);

  it('a file overlapping stored bars takes the staged path: identical bars unchanged, differing ones refused', async () => {
    const f = slice('over.csv', day(33), day(36));
    const a = await ingest(fast.pool, f);
    const b = await ingest(staged.pool, f, { staged: true });
    expect(a.path).toBe('staged');
    expect(same(a)).toEqual(same(b));
    expect(a.unchanged).toBeGreaterThan(0);
    expect(await outcome(fast.pool)).toEqual(await outcome(staged.pool));
    const before = await storeFingerprint(fast.pool);
    const bad = slice('over-bad.csv', day(33), day(34), (x) => {
      x[4] = String(Number(x[4]) * 0.9999); // a lower low: still valid, but not the stored bar
      return x;
    });
    const e = await failure(ingest(fast.pool, bad));
    expect(e.code).toBe('BQX_INGEST_CONFLICT');
    expect(await storeFingerprint(fast.pool)).toEqual(before);
  }, 120_000);

  it('a failure in the middle of the direct COPY leaves the database as it was', async () => {
    const db = await createDatabase();
    try {
      await ingest(db.pool, slice('pre.csv', day(26), day(28)));
      await db.pool.query(read('fail_m1_insert_function'));
      await db.pool.query(read('fail_m1_insert_trigger'));
      const before = await storeFingerprint(db.pool);
      // eurusd's bars and usdjpy's first day go in, then the trigger fails usdjpy's second day
      const e = await failure(ingest(db.pool, slice('mid.csv', day(31), day(34))));
      expect(String(e.message)).toMatch(/injected failure/);
      expect(await storeFingerprint(db.pool)).toEqual(before);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it('concurrent ingests of overlapping files: both load, the bars stored once, as one after the other would', async () => {
    const db = await createDatabase();
    const ref = await createDatabase();
    try {
      for (let round = 0; round < 2; round++) {
        const lo = day(26 + 3 * round);
        const a = slice(`cc-a-${round}.csv`, lo, lo + 2 * 86_400_000);
        const b = slice(`cc-b-${round}.csv`, lo + 86_400_000, lo + 3 * 86_400_000);
        const [ra, rb] = await Promise.all([ingest(db.pool, a), ingest(db.pool, b)]);
        // the first to take the pair locks finds a fresh range; the second then finds its bars
        expect([ra.path, rb.path].sort()).toEqual(['direct', 'staged']);
        // replayed one after the other in the order they took the locks (the dirty spans follow it)
        for (const f of ra.path === 'direct' ? [a, b] : [b, a]) await ingest(ref.pool, f, { staged: true });
        expect(await outcome(db.pool)).toEqual(await outcome(ref.pool));
      }
      // differing overlapping files at once: one loads, the other is refused and leaves nothing
      const lo = day(32);
      const a = slice('cx-a.csv', lo, lo + 86_400_000);
      const b = slice('cx-b.csv', lo, lo + 86_400_000, (x) => {
        x[4] = String(Number(x[4]) * 0.9999);
        return x;
      });
      const results = await Promise.allSettled([ingest(db.pool, a), ingest(db.pool, b)]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect((refused[0].reason as BqxError).code).toBe('BQX_INGEST_CONFLICT');
      await ingest(ref.pool, results[0].status === 'fulfilled' ? a : b, { staged: true });
      expect(await outcome(db.pool)).toEqual(await outcome(ref.pool));
    } finally {
      await db.drop();
      await ref.drop();
    }
  }, 240_000);

  it("into the pair's table, both paths record exactly what bqx.m1's triggers record for the same rows into bqx.m1", async () => {
    // the same files four ways: the fast path and the staged one, each into bqx.m1_<pair> with
    // bqx.m1_inserted (the default) and into bqx.m1, whose statement triggers record them. Every step spans
    // two months and two pairs; the third lands before a watermark and before bars already stored; the
    // fourth repeats stored bars only (an insert of nothing records nothing), the fifth half of them.
    const ways = [
      { name: 'direct into the pair', into: 'pair', staged: false, path: 'direct' },
      { name: 'direct into m1', into: 'm1', staged: false, path: 'direct' },
      { name: 'staged into the pair', into: 'pair', staged: true, path: 'staged' },
      { name: 'staged into m1', into: 'm1', staged: true, path: 'staged' },
    ] as const;
    const dbs = await Promise.all(ways.map(() => createDatabase()));
    const listeners: pg.PoolClient[] = [];
    try {
      const heard = await Promise.all(
        dbs.map(async (db) => {
          const c = await db.pool.connect();
          listeners.push(c);
          const got: string[] = [];
          c.on('notification', (n) => got.push(`${n.channel} ${n.payload}`));
          await c.query('listen bqx_vectors');
          return got;
        }),
      );
      const steps = [
        slice('p1.csv', day(28), day(33)),
        slice('p2.csv', day(33), day(35)),
        slice('p0.csv', day(26), day(28)),
        slice('p2-again.csv', day(33), day(35)),
        slice('p3.csv', day(34), day(36)),
      ];
      for (const [i, f] of steps.entries()) {
        if (i === 2) for (const db of dbs) await db.pool.query(read('set_watermark'), ['bqx', 'eurusd', new Date(day(30))]);
        const reports = [];
        for (const [k, w] of ways.entries()) reports.push(await ingest(dbs[k].pool, f, { into: w.into, staged: w.staged }));
        // a step meeting stored bars takes the staged path whatever was asked
        const overlaps = i >= 3;
        expect(reports.map((r) => r.path)).toEqual(ways.map((w) => (overlaps ? 'staged' : w.path)));
        for (const r of reports) expect(same(r)).toEqual(same(reports[0]));
        const outcomes = await Promise.all(dbs.map((db) => outcome(db.pool)));
        for (const [k, o] of outcomes.entries()) expect({ way: ways[k].name, ...o }).toEqual({ way: ways[k].name, ...outcomes[0] });
        // the same rows in the same order (ids), per path: the functions run as the triggers fire
        const order = await Promise.all(dbs.map(async (db) => (await db.pool.query(read('ingest_record_order'))).rows[0]));
        expect(order[0]).toEqual(order[1]);
        expect(order[2]).toEqual(order[3]);
        // bqx serve's cache notices: a round trip on each listener delivers what the commits sent
        for (const c of listeners) await c.query('select 1');
        expect(heard[0].length).toBeGreaterThan(0);
        expect(heard[1]).toEqual(heard[0]);
        expect(heard[3]).toEqual(heard[2]);
      }
      const counts = await dbs[0].pool.query(
        "select r.pair, r.month, r.rows, (select count(*) from bqx.m1 m where m.pair = r.pair and date_trunc('month', m.ts_utc, 'UTC') = r.month) as n from bqx.m1_rows r",
      );
      expect(counts.rows.length).toBe(4);
      for (const r of counts.rows) expect(Number(r.rows)).toBe(Number(r.n));
    } finally {
      for (const c of listeners) c.release();
      for (const db of dbs) await db.drop();
    }
  }, 300_000);
});
