/**
 * bqx.cross_returns and bqx.correlation_features against plain loops (spec section 11, Wave 3): every
 * column of both, for four pairs (two USD pairs, eurusd with its GBP cross, a cross through USD), on the
 * synthetic market with minutes missing in two pairs (one gap beyond the carry limit, one within it); the
 * triangular residual within the spread; causality across pairs (every pair truncated at t); a late
 * gbpusd bar leaving eurusd's features exactly as a clean build does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { correlationFeatures } from '../../src/features/catalog/correlation.ts';
import { crossReturns } from '../../src/features/catalog/crossReturns.ts';
import { CARRY_MINUTES } from '../../src/features/catalog/currencyStrength.ts';
import { CURRENCIES, PAIR_NAMES } from '../../src/features/pairs.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { compareRows } from '../support/reference/compare.ts';
import { correlationReference, crossReturnsRows, crossSectionReference } from '../support/reference/correlationReference.ts';
import { type CloseBar, currencyStrengthReference } from '../support/reference/currencyStrengthReference.ts';

const FROM = Date.UTC(2024, 6, 1); // Monday: 36 hours of every pair (about 2,160 grid minutes)
const TO = Date.UTC(2024, 6, 2, 12);
const PAIRS = ['eurusd', 'gbpusd', 'usdjpy', 'eurgbp'];
const corrCols = correlationFeatures.columns.map((c) => c.name);
const crossCols = crossReturns.columns.map((c) => c.name);
const GAP = { pair: 'gbpusd', from: '2024-07-01 10:00Z', to: '2024-07-01 10:08Z' }; // 8 minutes: beyond the carry
const HOLE = { pair: 'eurusd', at: '2024-07-01 11:00Z' }; // one minute: carried

describe('correlation_features', () => {
  const t = useTestDatabase();
  const q = (text: string, values: unknown[] = []) => t.pool.query(text, values);
  /** The cross-section over [from, to), then the pairs' correlation features: the order the graph runs them in. */
  const refresh = async (from: number | Date, to: number | Date, pairs = PAIRS) => {
    const r = [new Date(from), new Date(to)];
    await q('select bqx.refresh_cross_returns($1, $2)', r);
    await q('select bqx.refresh_currency_strength($1, $2)', r);
    for (const p of pairs) await q('select bqx.refresh_correlation_features($1, $2, $3)', [p, ...r]);
  };
  const bars = async (): Promise<CloseBar[]> =>
    (await q('select pair, ts_utc, close from bqx.m1 order by pair, ts_utc')).rows.map((r) => ({
      pair: r.pair,
      ts: (r.ts_utc as Date).getTime(),
      close: r.close,
    }));
  const digest = async (table: string, pair: string | null, upTo?: Date) =>
    (
      await q(
        `select md5(string_agg(x::text, '|' order by ts_utc)) as h, count(*)::int as n from bqx.${table} x
         where ($1::text is null or x::text like '(' || $1 || ',%') and ($2::timestamptz is null or ts_utc <= $2)`,
        [pair, upTo ?? null],
      )
    ).rows[0];
  const corrDigest = (pair: string, upTo?: Date) => digest('correlation_features', pair, upTo);

  beforeAll(async () => {
    const file = tmpPath('correlation.csv');
    await synthToFile(file, { seed: 23, from: FROM, to: TO, pairs: [...PAIR_NAMES] });
    await ingestSource(t.pool, openSource(file));
    await q('delete from bqx.m1 where pair = $1 and ts_utc >= $2 and ts_utc < $3', [GAP.pair, GAP.from, GAP.to]);
    await q('delete from bqx.m1 where pair = $1 and ts_utc = $2', [HOLE.pair, HOLE.at]);
    await refresh(FROM, TO);
  }, 600_000);

  it('computes the 56 columns of cross_returns as plain loops give them, within 1e-9', async () => {
    const expected = crossReturnsRows(crossSectionReference(await bars()));
    const actual = (await q('select * from bqx.cross_returns order by ts_utc')).rows;
    expect(actual.map((r) => (r.ts_utc as Date).getTime())).toEqual(expected.map((r) => r.ts));
    expect(compareRows(actual, expected, crossCols, { rel: 1e-9 })).toEqual([]);
    // gbpusd is carried through 10:04 (its last bar 09:59), missing 10:05-10:07; its return at 10:08 has no previous price
    const at = async (iso: string) => (await q('select * from bqx.cross_returns where ts_utc = $1', [iso])).rows[0];
    expect(CARRY_MINUTES).toBe(5);
    expect((await at('2024-07-01 10:04Z')).close_gbpusd).not.toBeNull();
    expect((await at('2024-07-01 10:04Z')).ret_gbpusd).toBe(0);
    expect((await at('2024-07-01 10:05Z')).close_gbpusd).toBeNull();
    expect((await at('2024-07-01 10:08Z')).close_gbpusd).not.toBeNull();
    expect((await at('2024-07-01 10:08Z')).ret_gbpusd).toBeNull();
    expect((await at(HOLE.at)).ret_eurusd).toBe(0);
  });

  it('computes the 90 columns of four pairs as plain loops give them, within 1e-9 of their scale', async () => {
    const all = await bars();
    const cs = crossSectionReference(all);
    const strengthRows = currencyStrengthReference(all);
    const strength = new Map(CURRENCIES.map((c) => [c, strengthRows.get(c)!.map((r) => r.strength_ret)]));
    for (const pair of PAIRS) {
      const own = all.filter((b) => b.pair === pair).map((b) => b.ts);
      const exp = correlationReference(pair, own, cs, strength);
      const actual = (await q('select * from bqx.correlation_features where pair = $1 order by ts_utc', [pair])).rows;
      expect(
        actual.map((r) => (r.ts_utc as Date).getTime()),
        pair,
      ).toEqual(own);
      // The residual is a difference of logs of order 1 (libm's ln and V8's may differ by an ulp): its
      // columns are judged by the error those allow, the z-score by that error over the window's std.
      const lnErr = (i: number) => 1e-13 * exp[i].lnScale;
      const allowance = (col: string, i: number) => {
        if (col === 'tri_resid' || col === 'tri_resid_d1' || col.startsWith('tri_mean_') || col.startsWith('tri_std_')) return 2 * lnErr(i);
        if (col.startsWith('tri_z_')) return (4 * lnErr(i)) / (exp[i][`tri_std_${col.slice(6)}`] ?? Infinity);
        return undefined;
      };
      expect(compareRows(actual, exp, corrCols, { rel: 1e-9, allowance }), pair).toEqual([]);
      // the comparison saw values: past the longest window (240 grid minutes) every column is mostly
      // populated (the gbpusd gap leaves GBP and USD without a strength return, so 240 minutes without
      // their 240-minute windows)
      const past = actual.slice(241);
      for (const col of corrCols) expect(past.filter((r) => r[col] !== null).length, `${pair} ${col}`).toBeGreaterThan(past.length * 0.8);
    }
  });

  it('follows the carry rule: a leg missing beyond it gives no residual, within it the residual stands', async () => {
    const at = async (pair: string, iso: string) =>
      (await q('select * from bqx.correlation_features where pair = $1 and ts_utc = $2', [pair, iso])).rows[0];
    // eurgbp's cross runs through USD: eurusd and gbpusd; gbpusd has no price 10:05-10:07
    expect((await at('eurgbp', '2024-07-01 10:04Z')).tri_resid).not.toBeNull();
    for (const m of ['10:05', '10:06', '10:07']) expect((await at('eurgbp', `2024-07-01 ${m}Z`)).tri_resid, m).toBeNull();
    expect((await at('eurgbp', '2024-07-01 10:08Z')).tri_resid).not.toBeNull();
    // ... and its 30-minute windows of the residual wait for 30 grid minutes after the gap (10:08-10:37)
    expect((await at('eurgbp', '2024-07-01 10:36Z')).tri_mean_30).toBeNull();
    expect((await at('eurgbp', '2024-07-01 10:37Z')).tri_mean_30).not.toBeNull();
    // eurusd lost a live peer (gbpusd) at 10:05, and gbpusd's correlation with the GBP strength waits for full windows
    expect((await at('eurusd', '2024-07-01 10:05Z')).peers_live).toBe(11);
    expect((await at('eurusd', '2024-07-01 10:04Z')).peers_live).toBe(12);
    expect((await at('gbpusd', '2024-07-01 10:30Z')).corr_base_30).toBeNull();
    // eurusd has no bar at 11:00 (carried in the cross-section): no row of its own there
    expect(await at('eurusd', HOLE.at)).toBeUndefined();
  });

  it('finds the triangular residual small: crosses agree within half a spread', async () => {
    for (const pair of PAIRS) {
      const { rows } = await q(
        `select percentile_cont(0.99) within group (order by abs(c.tri_resid)) as p99,
                percentile_cont(0.5) within group (order by abs(c.tri_resid)) as p50,
                percentile_cont(0.5) within group (order by ln(m.ask_close / m.bid_close) / 2) as half_spread,
                count(c.tri_resid)::int as n
         from bqx.correlation_features c join bqx.m1 m using (pair, ts_utc) where c.pair = $1`,
        [pair],
      );
      expect(rows[0].n, pair).toBeGreaterThan(2000);
      expect(rows[0].p99, pair).toBeLessThan(rows[0].half_spread);
      expect(rows[0].p50, pair).toBeLessThan(rows[0].half_spread / 4);
      expect(rows[0].p50, pair).toBeGreaterThan(0); // rounding of three prices: never exactly consistent
    }
  });

  it('is idempotent and independent of the refresh range', async () => {
    const before = await Promise.all(PAIRS.map((p) => corrDigest(p)));
    const cross = await digest('cross_returns', null);
    await refresh(Date.UTC(2024, 6, 1, 9, 7), TO);
    await refresh(Date.UTC(2024, 6, 1, 3), Date.UTC(2024, 6, 1, 10, 3));
    expect(await Promise.all(PAIRS.map((p) => corrDigest(p)))).toEqual(before);
    expect(await digest('cross_returns', null)).toEqual(cross);
  });

  it('gives eurusd after a late gbpusd bar exactly what a clean build gives', async () => {
    const L = '2024-07-01 15:20Z';
    const clean = await corrDigest('eurusd');
    await q('create table public.late_bar as select * from bqx.m1 where pair = $1 and ts_utc = $2', ['gbpusd', L]);
    // the store before the bar came: every pair's features built without it
    await q('delete from bqx.m1 where pair = $1 and ts_utc = $2', ['gbpusd', L]);
    await refresh(FROM, TO);
    expect((await corrDigest('eurusd')).h).not.toBe(clean.h);
    // the late bar: the cross-section from it through the carry and its next return, the strength and
    // the correlations through their windows (240 grid minutes each)
    await q('insert into bqx.m1 select * from public.late_bar');
    const nthRowAfter = async (from: Date, rows: number) =>
      (await q('select ts_utc from bqx.cross_returns where ts_utc >= $1 order by ts_utc offset $2 limit 1', [from, rows])).rows[0]
        .ts_utc as Date;
    const crossTo = new Date(Date.parse(L) + (CARRY_MINUTES + 2) * 60_000);
    await q('select bqx.refresh_cross_returns($1, $2)', [L, crossTo]);
    const strengthTo = await nthRowAfter(crossTo, 241);
    await q('select bqx.refresh_currency_strength($1, $2)', [L, strengthTo]);
    await q('select bqx.refresh_correlation_features($1, $2, $3)', ['eurusd', L, await nthRowAfter(strengthTo, 241)]);
    expect(await corrDigest('eurusd')).toEqual(clean);
    await q('drop table public.late_bar');
  });

  it('passes the causality test across pairs: every pair truncated at a bar, nothing up to it changes', async () => {
    const cut = new Date('2024-07-01T13:17:00Z');
    const full = await Promise.all(PAIRS.map((p) => corrDigest(p, cut)));
    const cross = await digest('cross_returns', null, cut);
    expect(full[0].n).toBeGreaterThan(700);
    await q('delete from bqx.m1 where ts_utc > $1', [cut]);
    await refresh(FROM, TO);
    expect(await Promise.all(PAIRS.map((p) => corrDigest(p, cut)))).toEqual(full);
    expect(await digest('cross_returns', null, cut)).toEqual(cross);
    expect((await corrDigest('eurusd')).n).toBe(full[0].n);
  });
});
