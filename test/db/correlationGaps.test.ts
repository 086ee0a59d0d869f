/**
 * bqx.correlation_features where the grid has holes (src/features/sqlgen/correlation.ts): its windows
 * count grid rows, its running sums restart at blocks of W epoch minutes, so a window spans more than
 * two blocks when minutes are missing inside it. Two such stretches: the weekend (no bars from Friday
 * 22:00 to Sunday 22:00 UTC: the 240-row windows of Sunday evening reach back over Friday's last,
 * partial block) and two hours of Friday with only every 7th minute left (30- and 60-row windows over
 * many sparse blocks). Every column against plain loops, refreshes starting inside those stretches bit
 * for bit the same as a full build, and a late bar at a minute the grid lacked: recomputing its reach
 * gives a clean build's bits (blocks are epoch minutes, so the new row renumbers nothing).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { correlationFeatures } from '../../src/features/catalog/correlation.ts';
import { CURRENCIES, PAIR_NAMES } from '../../src/features/pairs.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { compareRows } from '../support/reference/compare.ts';
import { correlationReference, crossSectionReference } from '../support/reference/correlationReference.ts';
import { type CloseBar, currencyStrengthReference } from '../support/reference/currencyStrengthReference.ts';

const FROM = Date.UTC(2024, 6, 5, 6); // Friday 06:00 to Monday 03:00: 16 hours of Friday, 5 of Sunday and Monday
const TO = Date.UTC(2024, 6, 8, 3);
const PAIRS = ['eurgbp', 'usdjpy'];
const SPARSE = { from: '2024-07-05 12:00Z', to: '2024-07-05 14:00Z' }; // only every 7th minute of every pair
const corrCols = correlationFeatures.columns.map((c) => c.name);

describe('correlation_features over a grid with holes', () => {
  const t = useTestDatabase();
  const q = (text: string, values: unknown[] = []) => t.pool.query(text, values);
  const refresh = async (from: number, to: number, pairs = PAIRS) => {
    const r = [new Date(from), new Date(to)];
    await q('select bqx.refresh_cross_returns($1, $2)', r);
    await q('select bqx.refresh_currency_strength($1, $2)', r);
    for (const p of pairs) await q('select bqx.refresh_correlation_features($1, $2, $3)', [p, ...r]);
  };
  const digest = async (pair: string) =>
    (
      await q(
        `select md5(string_agg(x::text, '|' order by ts_utc)) as h, count(*)::int as n
         from bqx.correlation_features x where pair = $1`,
        [pair],
      )
    ).rows[0];

  beforeAll(async () => {
    const file = tmpPath('correlation-gaps.csv');
    await synthToFile(file, { seed: 31, from: FROM, to: TO, pairs: [...PAIR_NAMES] });
    await ingestSource(t.pool, openSource(file));
    await q(`delete from bqx.m1 where ts_utc >= $1 and ts_utc < $2 and extract(minute from ts_utc)::int % 7 <> 0`, [
      SPARSE.from,
      SPARSE.to,
    ]);
    await refresh(FROM, TO);
  }, 600_000);

  it('has the holes it is about: a weekend and a sparse stretch in the grid', async () => {
    const gaps = (
      await q(`select count(*) filter (where d > interval '1 day')::int as weekend, count(*) filter (where d = interval '7 minutes')::int as sparse
               from (select ts_utc - lag(ts_utc) over (order by ts_utc) as d from bqx.cross_returns) g`)
    ).rows[0];
    expect(gaps.weekend).toBe(1);
    expect(gaps.sparse).toBeGreaterThan(10);
  });

  it('computes the 90 columns as plain loops give them, within 1e-9 of their scale', async () => {
    const all = (await q('select pair, ts_utc, close from bqx.m1 order by pair, ts_utc')).rows.map(
      (r): CloseBar => ({ pair: r.pair, ts: (r.ts_utc as Date).getTime(), close: r.close }),
    );
    const cs = crossSectionReference(all);
    const strengthRows = currencyStrengthReference(all);
    const strength = new Map(CURRENCIES.map((c) => [c, strengthRows.get(c)!.map((r) => r.strength_ret)]));
    for (const pair of PAIRS) {
      const own = all.filter((b) => b.pair === pair).map((b) => b.ts);
      const exp = correlationReference(pair, own, cs, strength);
      const actual = (await q('select * from bqx.correlation_features where pair = $1 order by ts_utc', [pair])).rows;
      expect(actual.length, pair).toBe(own.length);
      // as in correlation.test.ts: the residual's columns by the error libm's and V8's ln allow
      const lnErr = (i: number) => 1e-13 * exp[i].lnScale;
      const allowance = (col: string, i: number) => {
        if (col === 'tri_resid' || col === 'tri_resid_d1' || col.startsWith('tri_mean_') || col.startsWith('tri_std_')) return 2 * lnErr(i);
        if (col.startsWith('tri_z_')) return (4 * lnErr(i)) / (exp[i][`tri_std_${col.slice(6)}`] ?? Infinity);
        return undefined;
      };
      expect(compareRows(actual, exp, corrCols, { rel: 1e-9, allowance }), pair).toEqual([]);
      // the windows over the holes have values: Sunday's first 240-row windows and the sparse stretch's
      const at = (iso: string) => actual.find((r) => (r.ts_utc as Date).getTime() === Date.parse(iso));
      expect(at('2024-07-07 22:30Z')?.tri_mean_240, pair).not.toBeNull();
      expect(at('2024-07-05 13:55Z')?.tri_mean_30, pair).not.toBeNull();
    }
  });

  it('gives the same bits whatever range a refresh covers, starting inside the holes', async () => {
    const before = await Promise.all(PAIRS.map(digest));
    for (const from of ['2024-07-05 12:50Z', '2024-07-05 13:21Z', '2024-07-07 22:00Z', '2024-07-07 23:10Z', '2024-07-08 01:00Z']) {
      await refresh(Date.parse(from), TO);
      expect(await Promise.all(PAIRS.map(digest)), from).toEqual(before);
    }
    // and a range ending inside them
    await refresh(Date.parse('2024-07-05 11:00Z'), Date.parse('2024-07-05 13:30Z'));
    expect(await Promise.all(PAIRS.map(digest))).toEqual(before);
  });

  it('after a late bar at a minute the grid lacked, recomputing its reach gives what a clean build gives', async () => {
    // a new grid minute inside the sparse stretch: it moves no block (blocks are epoch minutes), so the
    // rows past the windows over it keep their bits
    const L = '2024-07-05 13:03Z';
    expect((await q('select count(*)::int as n from bqx.cross_returns where ts_utc = $1', [L])).rows[0].n).toBe(0);
    const before = await Promise.all(PAIRS.map(digest));
    // usdjpy's bar of 13:00 again at 13:03 (the bars of a pair share one layout: a neighbour's row, moved)
    await q(`create table public.late_bar as select * from bqx.m1 where pair = 'usdjpy' and ts_utc = $1`, ['2024-07-05 13:00Z']);
    await q('update public.late_bar set ts_utc = $1', [L]);
    expect((await q('insert into bqx.m1 select * from public.late_bar')).rowCount).toBe(1);
    await q('drop table public.late_bar');
    const nthRowAfter = async (from: string | Date, rows: number) =>
      (await q('select ts_utc from bqx.cross_returns where ts_utc >= $1 order by ts_utc offset $2 limit 1', [from, rows])).rows[0]
        .ts_utc as Date;
    const crossTo = new Date(Date.parse(L) + 7 * 60_000);
    await q('select bqx.refresh_cross_returns($1, $2)', [L, crossTo]);
    const strengthTo = await nthRowAfter(crossTo, 241);
    await q('select bqx.refresh_currency_strength($1, $2)', [L, strengthTo]);
    const corrTo = await nthRowAfter(strengthTo, 241);
    for (const p of PAIRS) await q('select bqx.refresh_correlation_features($1, $2, $3)', [p, L, corrTo]);
    const late = await Promise.all(PAIRS.map(digest));
    for (const [i, p] of PAIRS.entries()) expect(late[i].h, p).not.toBe(before[i].h);
    await refresh(FROM, TO);
    expect(late).toEqual(await Promise.all(PAIRS.map(digest)));
  });
});
