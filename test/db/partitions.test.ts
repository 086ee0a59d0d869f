import { describe, expect, it } from 'vitest';
import { BqxError } from '../../src/db/errors.ts';
import { FAMILY_NAMES } from '../../src/features/catalog/index.ts';
import { detachPartition, dropPartitions, ensurePartitions, listPartitions } from '../../src/runner/partitions.ts';
import { useTestDatabase } from '../support/db.ts';

const month = (y: number, m: number) => Date.UTC(y, m - 1, 1);
const rejectionOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as BqxError;
  }
  throw new Error('expected a rejection');
};

describe('partitions', () => {
  const t = useTestDatabase();

  it('reproduce the plan layout: --from 2024-01 --to 2025-12 gives 25 months per pair and family', async () => {
    const pairs = ['eurusd', 'usdjpy'];
    const res = await ensurePartitions(t.pool, FAMILY_NAMES, pairs, { from: month(2024, 1), to: month(2025, 12) }, null);
    expect(res.every((r) => r.created === 25)).toBe(true);
    const list = await listPartitions(t.pool, 'reg_rate', 'eurusd');
    expect(list).toHaveLength(25);
    expect(list[0]).toMatchObject({
      partition_name: 'reg_rate_eurusd_2024_01',
      range_from: new Date(month(2024, 1)),
      range_to: new Date(month(2024, 2)),
      attached: true,
    });
    expect(list.at(-1)!.partition_name).toBe('reg_rate_eurusd_2026_01');
    // The bounds Postgres holds are the UTC month, whatever the session time zone.
    const { rows } = await t.pool.query(`select pg_get_expr(relpartbound, oid) as b from pg_class where relname = 'm1_usdjpy_2024_07'`);
    expect(rows[0].b).toBe("FOR VALUES FROM ('2024-07-01 00:00:00+00') TO ('2024-08-01 00:00:00+00')");
    const again = await ensurePartitions(t.pool, FAMILY_NAMES, pairs, { from: month(2024, 1), to: month(2025, 12) }, null);
    expect(again.every((r) => r.created === 0)).toBe(true);
  });

  it('premake is clamped at the future limit and a range far ahead is refused', async () => {
    const now = new Date();
    const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const [r] = await ensurePartitions(t.pool, ['m1'], ['gbpusd'], { from: thisMonth, to: Date.now() }, 6);
    // this month plus at most the next one (the 7-day max_future may reach into it), never six ahead
    expect(r.created).toBeGreaterThanOrEqual(1);
    expect(r.created).toBeLessThanOrEqual(2);
    const far = await rejectionOf(
      ensurePartitions(t.pool, ['m1'], ['gbpusd'], { from: Date.UTC(2076, 0, 1), to: Date.UTC(2076, 1, 1) }, 0),
    );
    expect(far).toBeInstanceOf(BqxError);
    expect(far.code).toBe('BQX_FUTURE_RANGE');
    expect(far.hint).toMatch(/bad timestamp/);
    expect(await listPartitions(t.pool, 'm1', 'gbpusd')).toHaveLength(r.created);
  });

  it('refuses unknown and hostile identifiers before they reach DDL', async () => {
    for (const pair of ["eurusd'); drop table bqx.m1; --", 'bqx.eurusd', 'EURUSD', 'xxxyyy']) {
      const e = await rejectionOf(ensurePartitions(t.pool, ['m1'], [pair], { from: month(2024, 1), to: month(2024, 2) }, 0));
      expect(e.code).toBe('BQX_UNKNOWN_PAIR');
      expect(e.hint).toMatch(/bqx.pairs/);
    }
    const e = await rejectionOf(
      ensurePartitions(t.pool, ['m1; drop schema bqx'], ['eurusd'], { from: month(2024, 1), to: month(2024, 2) }, 0),
    );
    expect(e.code).toBe('BQX_UNKNOWN_FAMILY');
    expect((await t.pool.query(`select to_regclass('bqx.m1') is not null as ok`)).rows[0].ok).toBe(true);
  });

  it('detach keeps the table, lists it as detached, and ensure then refuses to paper over it', async () => {
    expect(await detachPartition(t.pool, 'm1', 'usdjpy', month(2024, 3))).toBe('m1_usdjpy_2024_03');
    const listed = (await listPartitions(t.pool, 'm1', 'usdjpy')).find((p) => p.partition_name === 'm1_usdjpy_2024_03');
    expect(listed!.attached).toBe(false);
    const e = await rejectionOf(ensurePartitions(t.pool, ['m1'], ['usdjpy'], { from: month(2024, 3), to: month(2024, 4) }, 0));
    expect(e.code).toBe('BQX_NO_PARTITION');
    expect(e.message).toMatch(/detached/);
  });

  it('drop removes exactly the months that end at or before the cut-off, detached ones included', async () => {
    const rows = await dropPartitions(t.pool, ['m1'], ['usdjpy'], month(2024, 4));
    expect(rows.map((r) => [r.partition_name, r.action])).toEqual([
      ['m1_usdjpy_2024_01', 'dropped'],
      ['m1_usdjpy_2024_02', 'dropped'],
      ['m1_usdjpy_2024_03', 'dropped'],
    ]);
    expect((await listPartitions(t.pool, 'm1', 'usdjpy'))[0].partition_name).toBe('m1_usdjpy_2024_04');
  });

  it('drop steps aside when another session holds the partition lock', async () => {
    const c = await t.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select bqx.ensure_partitions('m1', 'eurusd', '2024-01-01', '2024-02-01', 0)`);
      const rows = await dropPartitions(t.pool, ['m1'], ['eurusd'], month(2024, 6));
      expect(rows).toEqual([{ family: 'm1', pair: 'eurusd', partition_name: null, action: 'skipped_locked' }]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
});
