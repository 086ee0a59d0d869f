/**
 * bqx.currency_strength against plain loops (spec section 11): the 8 currencies from all 28 pairs of the
 * synthetic market, with minutes missing in two pairs (one gap within the carry limit, one beyond it);
 * idempotent and range-independent refreshes; causality across pairs (every input pair truncated at t).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CARRY_MINUTES, currencyStrength } from '../../src/features/catalog/currencyStrength.ts';
import { CURRENCIES, PAIR_NAMES } from '../../src/features/pairs.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { compareRows } from '../support/reference/compare.ts';
import { type CloseBar, currencyStrengthReference } from '../support/reference/currencyStrengthReference.ts';

const FROM = Date.UTC(2024, 5, 28, 12); // Friday noon: the weekend and the 1 July month boundary follow (about 2,150 grid minutes)
const TO = Date.UTC(2024, 6, 2);
const cols = currencyStrength.columns.map((c) => c.name);
const GAP = { pair: 'gbpusd', from: '2024-07-01 10:00Z', to: '2024-07-01 10:08Z' }; // 8 minutes: beyond the carry
const HOLE = { pair: 'eurusd', at: '2024-07-01 11:00Z' }; // one minute: carried

describe('currency_strength', () => {
  const t = useTestDatabase();
  const refresh = (from: number, to: number) =>
    t.pool.query(`select bqx.refresh_currency_strength($1, $2) as n`, [new Date(from), new Date(to)]);
  const bars = async (): Promise<CloseBar[]> =>
    (await t.pool.query(`select pair, ts_utc, close from bqx.m1 order by pair, ts_utc`)).rows.map((r) => ({
      pair: r.pair,
      ts: (r.ts_utc as Date).getTime(),
      close: r.close,
    }));
  const rowsOf = async (c: string) =>
    (await t.pool.query(`select * from bqx.currency_strength where currency = $1 order by ts_utc`, [c])).rows;
  const digest = async (upTo?: Date) =>
    (
      await t.pool.query(
        `select md5(string_agg(x::text, '|' order by currency, ts_utc)) as h, count(*)::int as n from bqx.currency_strength x where ($1::timestamptz is null or ts_utc <= $1)`,
        [upTo ?? null],
      )
    ).rows[0];

  beforeAll(async () => {
    const file = tmpPath('strength.csv');
    await synthToFile(file, { seed: 17, from: FROM, to: TO, pairs: [...PAIR_NAMES] });
    await ingestSource(t.pool, openSource(file));
    await t.pool.query(`delete from bqx.m1 where pair = $1 and ts_utc >= $2 and ts_utc < $3`, [GAP.pair, GAP.from, GAP.to]);
    await t.pool.query(`delete from bqx.m1 where pair = $1 and ts_utc = $2`, [HOLE.pair, HOLE.at]);
    await refresh(FROM, TO);
  }, 600_000);

  it('computes the 8 columns of the 8 currencies as plain loops give them, within 1e-12', async () => {
    const expected = currencyStrengthReference(await bars());
    for (const c of CURRENCIES) {
      const actual = await rowsOf(c);
      const exp = expected.get(c)!;
      expect(
        actual.map((r) => (r.ts_utc as Date).getTime()),
        c,
      ).toEqual(exp.map((r) => r.ts));
      // A return or momentum is a difference of two levels of order 1 (ln of prices): it carries their
      // rounding (libm's ln and V8's differ by an ulp), so it is judged by the error its inputs allow.
      const lag = (col: string) => (col === 'strength_ret' ? 1 : col.startsWith('strength_mom_') ? Number(col.slice(13)) : 0);
      const allowance = (col: string, i: number) => {
        const k = lag(col);
        return k ? 1e-12 * (Math.abs(exp[i].strength_level ?? 0) + Math.abs(exp[i - k]?.strength_level ?? 0)) : undefined;
      };
      expect(compareRows(actual, exp, cols, { rel: 1e-12, allowance }), c).toEqual([]);
      // the comparison saw values: past the longest window (240 grid minutes) every column is populated
      const past = actual.slice(241);
      for (const col of cols) expect(past.filter((r) => r[col] !== null).length, `${c} ${col}`).toBeGreaterThan(past.length * 0.95);
    }
  });

  it('carries a pair at most the documented minutes, never a later bar', async () => {
    const at = async (c: string, iso: string) =>
      (await t.pool.query(`select * from bqx.currency_strength where currency = $1 and ts_utc = $2`, [c, iso])).rows[0];
    // gbpusd's last bar is 09:59: carried through 10:0${CARRY_MINUTES - 1}, missing from 10:0${CARRY_MINUTES} until its next bar at 10:08
    expect(CARRY_MINUTES).toBe(5);
    for (const c of ['gbp', 'usd']) {
      expect((await at(c, '2024-07-01 10:04Z')).strength_level, c).not.toBeNull();
      expect((await at(c, '2024-07-01 10:04Z')).pairs_live, c).toBe(6);
      expect((await at(c, '2024-07-01 10:05Z')).strength_level, c).toBeNull();
      expect((await at(c, '2024-07-01 10:07Z')).strength_level, c).toBeNull();
      expect((await at(c, '2024-07-01 10:08Z')).strength_level, c).not.toBeNull();
      expect((await at(c, '2024-07-01 10:08Z')).strength_ret, c).toBeNull(); // the minute before has no level
    }
    // the other currencies never needed gbpusd
    expect((await at('eur', '2024-07-01 10:06Z')).strength_level).not.toBeNull();
    // eurusd's one-minute hole is carried: EUR has its level with 6 live pairs
    expect((await at('eur', HOLE.at)).strength_level).not.toBeNull();
    expect((await at('eur', HOLE.at)).pairs_live).toBe(6);
    // the ret is the mean signed 1-minute log return against the other seven
    const eur = await rowsOf('eur');
    const i = eur.findIndex((r) => (r.ts_utc as Date).toISOString() === '2024-07-01T12:00:00.000Z');
    expect(eur[i].strength_ret).toBeCloseTo(eur[i].strength_level - eur[i - 1].strength_level, 15);
    // 8 currencies' levels sum to 0 at every full minute: each pair enters once with +1 and once with -1
    const { rows } = await t.pool.query(
      `select max(abs(s)) as worst, count(*)::int as n from (select sum(strength_level) as s from bqx.currency_strength group by ts_utc having count(strength_level) = 8) x`,
    );
    expect(rows[0].n).toBeGreaterThan(2000);
    expect(rows[0].worst).toBeLessThan(1e-13);
  });

  it('is idempotent and independent of the refresh range', async () => {
    const before = await digest();
    await refresh(FROM, TO);
    expect(await digest()).toEqual(before);
    await refresh(Date.UTC(2024, 6, 1, 9, 7), TO);
    await refresh(Date.UTC(2024, 5, 28, 20), Date.UTC(2024, 6, 1, 10, 3));
    expect(await digest()).toEqual(before);
  });

  it('passes the causality test across pairs: every input pair truncated at a bar, nothing up to it changes', async () => {
    const cut = new Date('2024-07-01T13:17:00Z');
    const full = await digest(cut);
    expect(full.n).toBeGreaterThan(8 * 1000);
    await t.pool.query(`delete from bqx.m1 where ts_utc > $1`, [cut]);
    await refresh(FROM, TO);
    expect(await digest()).toEqual(full);
  });
});
