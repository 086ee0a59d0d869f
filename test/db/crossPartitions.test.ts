/**
 * The cross-section's partitions and definitions (issue 17, Wave 3). `bqx partitions ensure` makes the
 * cross tables' months with the pairs' range and premake rules; retention (`bqx partitions drop`, the
 * runner's retention step) drops a cross month only when it ends before the cut and before the first grid
 * minute any pair's kept rows read (its readers' lookback before the earliest kept row), checked against a
 * plain loop over the stored rows, and leaves the cross dirty spans and definition records consistent. A
 * changed bqx.refresh_currency_strength on a populated store (the live function replaced by a perturbed
 * body, then `migrate` re-applying the real file) makes the cross-section and every pair's
 * correlation_features stale (`bqx status`); a runner tick recomputes both, ending equal to a clean build.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BqxError } from '../../src/db/errors.ts';
import { liveCrossFingerprints } from '../../src/db/liveFingerprints.ts';
import { migrate } from '../../src/db/migrate.ts';
import { ROOT } from '../../src/db/paths.ts';
import { withClient } from '../../src/db/tx.ts';
import { CROSS_SECTIONAL, FAMILIES } from '../../src/features/catalog/index.ts';
import { PAIR_NAMES } from '../../src/features/pairs.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import {
  crossRetentionFloor,
  dropCrossPartitions,
  dropPartitions,
  ensureCrossPartitions,
  listPartitions,
} from '../../src/runner/partitions.ts';
import { runAndCheck } from '../../src/runner/refreshUntilComplete.ts';
import { runnerTick } from '../../src/runner/runnerTick.ts';
import { incrementalPlan } from '../../src/runner/runPairs.ts';
import { staleRows } from '../../src/runner/staleRows.ts';
import { status } from '../../src/runner/status.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { createDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

type Db = Awaited<ReturnType<typeof createDatabase>>;
const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');
const PAIRS = [...PAIR_NAMES];
const CROSS = CROSS_SECTIONAL.map((f) => f.family);
const FAMS = ['correlation_features'];
const READERS = FAMILIES.filter((f) => f.dependsOn.some((d) => CROSS.includes(d)));
const LOOKBACK = Math.max(...READERS.map((f) => f.lookbackBars));
const month = (y: number, m: number) => Date.UTC(y, m - 1, 1);
const LONG = 900_000;

const refresh = (pool: pg.Pool) =>
  runAndCheck(pool, PAIRS, incrementalPlan(FAMS), { concurrency: 2, trigger: 'refresh', checkCompleteness: true });
const digest = async (pool: pg.Pool, table: string, order: string) =>
  (await pool.query(`select md5(string_agg(x::text, '|' order by ${order})) as h, count(*)::int as n from bqx.${table} x`)).rows[0];
const TABLES: Array<[string, string]> = [
  ['currency_strength', 'currency, ts_utc'],
  ['cross_returns', 'ts_utc'],
  ['correlation_features', 'pair, ts_utc'],
];
const crossMonths = async (pool: pg.Pool) =>
  (await listPartitions(pool, null, null))
    .filter((p) => CROSS.includes(p.family))
    .map((p) => p.partition_name)
    .sort();

/** The rule, by a plain loop over the stored rows: the (L + 1)-th grid minute before the earliest kept row. */
async function expectedFloor(pool: pg.Pool): Promise<number | null> {
  let first = Infinity;
  for (const t of ['m1', ...READERS.map((f) => f.family)]) {
    const r = (await pool.query(`select ts_utc from bqx.${t}`)).rows as Array<{ ts_utc: Date }>;
    for (const x of r) first = Math.min(first, x.ts_utc.getTime());
  }
  if (first === Infinity) return null;
  const grid = ((await pool.query('select ts_utc from bqx.cross_returns')).rows as Array<{ ts_utc: Date }>)
    .map((r) => r.ts_utc.getTime())
    .filter((t) => t < first)
    .sort((a, b) => a - b);
  return grid.length ? grid[Math.max(0, grid.length - (LOOKBACK + 1))] : first;
}

/** The cross months a cut drops by the rule: those ending at or before both the cut and the floor. */
const expectedDropped = (names: string[], cut: number) =>
  names.filter((n) => {
    const m = /_(\d{4})_(\d{2})$/.exec(n)!;
    return Date.UTC(Number(m[1]), Number(m[2]), 1) <= cut;
  });

async function synth(name: string, from: number, to: number): Promise<string> {
  const f = tmpPath(name);
  await synthToFile(f, { seed: 41, from, to, pairs: PAIRS });
  return f;
}

describe('the cross-section: partitions and retention', () => {
  let db: Db;

  beforeAll(async () => {
    db = await createDatabase();
    // a Friday hour in June, then Wednesday evening into Thursday across the July/August boundary
    await ingestSource(db.pool, openSource(await synth('cp-june.csv', Date.UTC(2024, 5, 28, 10), Date.UTC(2024, 5, 28, 11))));
    await ingestSource(db.pool, openSource(await synth('cp-aug.csv', Date.UTC(2024, 6, 31, 18), Date.UTC(2024, 7, 1, 2))));
    const out = await refresh(db.pool);
    expect(out.units.filter((u) => u.status !== 'ok' && u.status !== 'skipped')).toEqual([]);
  }, LONG);

  afterAll(async () => {
    await db?.drop();
  });

  it(
    'ensure makes the cross months of the range, with the pairs premake and future rules',
    async () => {
      const before = await crossMonths(db.pool);
      // the refresh made June, July and August for both tables (8 currencies)
      expect(before.filter((n) => n.startsWith('cross_returns_'))).toEqual([
        'cross_returns_2024_06',
        'cross_returns_2024_07',
        'cross_returns_2024_08',
      ]);
      expect(before.filter((n) => n.startsWith('currency_strength_'))).toHaveLength(24);
      const res = await ensureCrossPartitions(db.pool, CROSS, { from: month(2024, 6), to: month(2024, 9) }, 1);
      // September is the premake month: 8 currencies + 1
      expect(res).toEqual([
        { family: 'currency_strength', pair: '*', created: 8 },
        { family: 'cross_returns', pair: '*', created: 1 },
      ]);
      const after = await crossMonths(db.pool);
      expect(after).toContain('cross_returns_2024_09');
      for (const c of ['eur', 'gbp', 'aud', 'nzd', 'usd', 'cad', 'chf', 'jpy']) expect(after).toContain(`currency_strength_${c}_2024_09`);
      const again = await ensureCrossPartitions(db.pool, CROSS, { from: month(2024, 6), to: month(2024, 9) }, 1);
      expect(again.map((r) => r.created)).toEqual([0, 0]);
      const far = await ensureCrossPartitions(db.pool, ['cross_returns'], { from: Date.UTC(2076, 0, 1), to: Date.UTC(2076, 1, 1) }, 0).then(
        () => null,
        (e) => e,
      );
      expect(far).toBeInstanceOf(BqxError);
      expect(far.code).toBe('BQX_FUTURE_RANGE');
      const bad = await ensureCrossPartitions(db.pool, ['m1'], { from: month(2024, 6), to: month(2024, 7) }, 0).then(
        () => null,
        (e) => e,
      );
      expect(bad.code).toBe('BQX_UNKNOWN_FAMILY');
    },
    LONG,
  );

  it(
    'drop steps aside while another session holds the cross table partition lock (a cross refresh in flight)',
    async () => {
      const c = await db.pool.connect();
      try {
        await c.query('begin');
        await c.query(`select bqx.ensure_currency_partitions('2024-06-01', '2024-07-01')`);
        const before = await crossMonths(db.pool);
        // cross_returns is not locked, and every month of it is still read (the floor is the first June bar)
        expect(await dropCrossPartitions(db.pool, CROSS, month(2030, 1))).toEqual([
          { family: 'currency_strength', pair: '*', partition_name: null, action: 'skipped_locked' },
        ]);
        expect(await crossMonths(db.pool)).toEqual(before);
      } finally {
        await c.query('rollback');
        c.release();
      }
    },
    LONG,
  );

  it(
    'drop keeps every cross month a pair still reads: one pair dropped leaves the others June',
    async () => {
      const pair = await dropPartitions(
        db.pool,
        FAMILIES.map((f) => f.family),
        ['eurusd'],
        month(2024, 8),
      );
      expect(pair.filter((r) => r.action === 'dropped').length).toBeGreaterThan(0);
      const floor = await crossRetentionFloor(db.pool, 'currency_strength');
      expect(floor).toBe(await expectedFloor(db.pool));
      expect(floor).toBe(Date.UTC(2024, 5, 28, 10)); // the other 27 pairs still keep their June hour
      const before = await crossMonths(db.pool);
      expect(await dropCrossPartitions(db.pool, CROSS, month(2024, 8))).toEqual([]);
      expect(await crossMonths(db.pool)).toEqual(before);
    },
    LONG,
  );

  it(
    'the runner retention step drops no cross month the first kept rows read as lookback',
    async () => {
      const d = new Date();
      // retention_months such that the cut is 2024-07-01: June goes for every pair, July stays
      const months = (d.getUTCFullYear() - 2024) * 12 + d.getUTCMonth() - 6;
      await db.pool.query(`update bqx.settings set value = $1 where key = 'retention_months'`, [String(months)]);
      const before = await crossMonths(db.pool);
      const tick = await runnerTick(db.pool, { pairs: PAIRS, families: FAMS, concurrency: 2, log: () => {}, staleBudgetSeconds: 0 });
      expect(tick.errors).toBe(0);
      expect((await listPartitions(db.pool, 'm1', null)).filter((p) => p.range_from.getTime() < month(2024, 7))).toEqual([]);
      // the first kept bar is 2024-07-31 18:00; its lookback of 240 grid minutes reaches into June's hour
      const floor = await expectedFloor(db.pool);
      expect(floor).toBe(Date.UTC(2024, 5, 28, 10));
      expect(await crossRetentionFloor(db.pool, 'currency_strength')).toBe(floor);
      // the tick premade this month's cross partitions, and dropped none of June's
      const after = await crossMonths(db.pool);
      expect(after.filter((n) => before.includes(n))).toEqual(before);
      expect(after.filter((n) => n.endsWith('2024_06'))).toHaveLength(9);
      await db.pool.query(`update bqx.settings set value = '0' where key = 'retention_months'`);
    },
    LONG,
  );

  it(
    'bqx partitions drop takes the cross months older than the lookback and clips their spans',
    async () => {
      // a dirty span wholly in June and one reaching from June into July (as a late bar would leave)
      await db.pool.query(
        `insert into bqx.cross_dirty_ranges (family, pair, span, reason) values
         ('currency_strength', 'gbpusd', '[2024-06-28 10:10, 2024-06-28 10:20]', 'insert'),
         ('currency_strength', 'gbpusd', '[2024-06-28 10:30, 2024-07-31 18:05]', 'insert'),
         ('cross_returns', 'gbpusd', '[2024-07-31 19:00, 2024-07-31 19:00]', 'insert')`,
      );
      const before = await crossMonths(db.pool);
      const cli = await run(process.execPath, [BIN, 'partitions', 'drop', '--before', '2024-08', '--json', '--database-url', db.url], {
        maxBuffer: 1 << 24,
      });
      const rows = JSON.parse(cli.stdout).rows as Array<{ family: string; pair: string; partition_name: string; action: string }>;
      const cut = Math.min(month(2024, 8), (await expectedFloor(db.pool))!);
      // the first kept bar is now 2024-08-01 00:00: its lookback lies on 2024-07-31, so July stays
      expect(cut).toBeGreaterThan(month(2024, 7));
      expect(cut).toBeLessThan(month(2024, 8));
      const want = expectedDropped(before, cut);
      expect(want).toHaveLength(9);
      expect(
        rows
          .filter((r) => r.pair === '*')
          .map((r) => r.partition_name)
          .sort(),
      ).toEqual(want);
      expect(rows.filter((r) => r.pair === '*').every((r) => r.action === 'dropped')).toBe(true);
      expect(await crossMonths(db.pool)).toEqual(before.filter((n) => !want.includes(n)));
      const spans = (await db.pool.query(`select family, span::text as span from bqx.cross_dirty_ranges order by family, lower(span)`))
        .rows;
      expect(spans).toEqual([
        { family: 'cross_returns', span: '["2024-07-31 19:00:00+00","2024-07-31 19:00:00+00"]' },
        { family: 'currency_strength', span: '["2024-07-01 00:00:00+00","2024-07-31 18:05:00+00"]' },
      ]);
      const defs = (await db.pool.query(`select family, spans from bqx.cross_definitions`)).rows as Array<{
        family: string;
        spans: string;
      }>;
      expect(defs.length).toBe(2);
      for (const r of defs) expect(r.spans, r.family).not.toMatch(/2024-06/);
      // what the kept correlation rows read is still there: recomputing them changes nothing
      const corr = await digest(db.pool, 'correlation_features', 'pair, ts_utc');
      await db.pool.query(`select bqx.refresh_correlation_features($1, $2, $3)`, [
        'gbpusd',
        new Date(month(2024, 8)),
        new Date(Date.UTC(2024, 7, 1, 2)),
      ]);
      expect(await digest(db.pool, 'correlation_features', 'pair, ts_utc')).toEqual(corr);
    },
    LONG,
  );

  it(
    'the runner retention step drops the cross months once no pair keeps a row that reads them',
    async () => {
      const d = new Date();
      // the cut is 2024-09-01: every pair's July and August go, so nothing reads the cross months before it
      const months = (d.getUTCFullYear() - 2024) * 12 + d.getUTCMonth() - 8;
      await db.pool.query(`update bqx.settings set value = $1 where key = 'retention_months'`, [String(months)]);
      const before = await crossMonths(db.pool);
      const tick = await runnerTick(db.pool, { pairs: PAIRS, families: FAMS, concurrency: 2, log: () => {}, staleBudgetSeconds: 0 });
      expect(tick.errors).toBe(0);
      expect((await db.pool.query('select count(*)::int as n from bqx.m1')).rows[0].n).toBe(0);
      expect(await expectedFloor(db.pool)).toBeNull();
      expect(await crossRetentionFloor(db.pool, 'currency_strength')).toBeNull();
      const want = expectedDropped(before, month(2024, 9));
      expect(want).toHaveLength(18); // July and August of both tables (8 currencies + 1 each)
      expect(tick.partitionsDropped).toBeGreaterThanOrEqual(want.length);
      const after = await crossMonths(db.pool);
      expect(after.filter((n) => before.includes(n))).toEqual(before.filter((n) => !want.includes(n)));
      expect(after).toContain('cross_returns_2024_09'); // the premade month is not older than the cut
      // no span or definition record is left for rows that went
      expect((await db.pool.query('select count(*)::int as n from bqx.cross_dirty_ranges')).rows[0].n).toBe(0);
      expect((await db.pool.query('select count(*)::int as n from bqx.cross_definitions')).rows[0].n).toBe(0);
      await db.pool.query(`update bqx.settings set value = '0' where key = 'retention_months'`);
    },
    LONG,
  );
});

describe('a changed cross-section definition', () => {
  let db: Db;
  let clean: Db;
  let file: string;
  const FROM = Date.UTC(2024, 6, 1);
  const TO = Date.UTC(2024, 6, 1, 3);

  beforeAll(async () => {
    file = await synth('cp-defs.csv', FROM, TO);
    clean = await createDatabase();
    await ingestSource(clean.pool, openSource(file));
    expect((await refresh(clean.pool)).units.filter((u) => u.status === 'error')).toEqual([]);
  }, LONG);

  afterAll(async () => {
    await db?.drop();
    await clean?.drop();
  });

  it(
    'is stale on a populated store after the upgrade, and a runner tick recomputes it and correlation_features',
    async () => {
      db = await createDatabase();
      await ingestSource(db.pool, openSource(file));
      // the older definition: every level doubled
      const def = (
        await db.pool.query(`select pg_get_functiondef('bqx.refresh_currency_strength(timestamptz,timestamptz)'::regprocedure) as d`)
      ).rows[0].d as string;
      const changed = def.replace('order by a.pair) end as level', 'order by a.pair) * 2 end as level');
      expect(changed).not.toBe(def);
      await db.pool.query(changed);
      expect((await refresh(db.pool)).units.filter((u) => u.status === 'error')).toEqual([]);
      expect(await staleRows(db.pool)).toEqual([]);
      expect((await digest(db.pool, 'currency_strength', 'currency, ts_utc')).h).not.toBe(
        (await digest(clean.pool, 'currency_strength', 'currency, ts_utc')).h,
      );
      // the cross units recorded their rows under the live (perturbed) definition, every row of each table
      const perturbed = await withClient(db.pool, (c) => liveCrossFingerprints(c));
      for (const f of CROSS) {
        const recs = (
          await db.pool.query(
            `select d.fingerprint, d.spans @> (select tstzrange(min(ts_utc), max(ts_utc) + interval '1 minute') from bqx.${f}) as covers
             from bqx.cross_definitions d where d.family = $1`,
            [f],
          )
        ).rows;
        expect(recs, f).toEqual([{ fingerprint: perturbed.get(f), covers: true }]);
      }
      // a store filled before the cross records: migrate records its rows under the functions live when
      // it starts (the perturbed one), then re-applies the real file
      await db.pool.query('delete from bqx.cross_definitions');
      await migrate(db.pool); // the real file again: the stored rows stay as the old one computed them
      expect((await db.pool.query(`select fingerprint from bqx.cross_definitions where family = 'currency_strength'`)).rows).toEqual([
        { fingerprint: perturbed.get('currency_strength') },
      ]);
      expect((await withClient(db.pool, (c) => liveCrossFingerprints(c))).get('currency_strength')).not.toBe(
        perturbed.get('currency_strength'),
      );
      const st = await status(db.pool);
      const cs = (await db.pool.query(`select count(*)::int as n from bqx.currency_strength`)).rows[0].n;
      expect(st.stale.filter((s) => s.family === 'currency_strength')).toEqual([
        expect.objectContaining({ pair: '*', family: 'currency_strength', month: '2024-07', rows: cs }),
      ]);
      expect(st.stale.filter((s) => s.family === 'cross_returns')).toEqual([]);
      const corr = st.stale.filter((s) => s.family === 'correlation_features');
      expect(corr.map((s) => s.pair).sort()).toEqual([...PAIRS].sort());
      const json = JSON.parse(
        (await run(process.execPath, [BIN, 'status', '--json', '--database-url', db.url], { maxBuffer: 1 << 24 })).stdout,
      );
      expect(json.stale.some((s: { pair: string; family: string }) => s.pair === '*' && s.family === 'currency_strength')).toBe(true);

      const tick = await runnerTick(db.pool, { pairs: PAIRS, families: FAMS, concurrency: 2, log: () => {}, staleBudgetSeconds: 600 });
      expect(tick.errors).toBe(0);
      expect(tick.staleUnits).toBe(1 + PAIRS.length);
      expect(await staleRows(db.pool)).toEqual([]);
      for (const [t, order] of TABLES) expect(await digest(db.pool, t, order), t).toEqual(await digest(clean.pool, t, order));
    },
    LONG,
  );
});
