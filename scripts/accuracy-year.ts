/**
 * Every in-engine column against the tests' independent references on a long series (issue 21): for one
 * pair already in the database (e.g. `bqx synth --pairs eurusd --from 2024-01-01 --to 2025-01-01`),
 * refreshes every in-engine family over the pair's whole range (skip with --no-refresh), reads the rows
 * back and prints the worst scaled error of each family (spec section 9: |a - e| / max(|e|, S), S = the
 * column's median |value|; reg's ratio columns against the limit their inputs allow, as the tests judge
 * them) and the NULL-pattern mismatches. Not a test: a pair-year takes minutes.
 *
 *   DATABASE_URL=... node bin/run-ts.mjs scripts/accuracy-year.ts --pair eurusd [--families a,b] [--no-refresh] [--json]
 */
import { openDatabase } from '../src/db/connect.ts';
import { family } from '../src/features/catalog/index.ts';
import { refreshFamily } from '../src/runner/refreshFamily.ts';
import { bqxReference, type Row } from '../test/support/reference/bqxReference.ts';
import { type ColumnError, worstScaledErrors } from '../test/support/reference/compare.ts';
import { momentsReference } from '../test/support/reference/momentsReference.ts';
import { regCompareOptions } from '../test/support/reference/regAllowance.ts';
import { regReference } from '../test/support/reference/regReference.ts';
import { type Bar, spreadReference } from '../test/support/reference/spreadReference.ts';
import { timeReference } from '../test/support/reference/timeReference.ts';
import { volumeReference } from '../test/support/reference/volumeReference.ts';

const args = process.argv.slice(2);
const pair = args[args.indexOf('--pair') + 1];
if (!args.includes('--pair') || !pair) throw new Error('usage: accuracy-year.ts --pair P [--no-refresh] [--json]');
const ALL = [
  'bqx',
  'bollinger_rate',
  'bollinger_bqx',
  'statistics_rate',
  'statistics_bqx',
  'volume_features',
  'spread_features',
  'time_features',
  'reg_rate',
  'reg_bqx',
];
// --families a,b: only these (bqx is refreshed and compared too when listed; the others read the stored bqx)
const FAMILIES = args.includes('--families') ? args[args.indexOf('--families') + 1].split(',').filter((f) => ALL.includes(f)) : ALL;

const db = await openDatabase();
try {
  const span = (
    await db.pool.query(
      `select min(ts_utc) as lo, max(ts_utc) as hi, pip_size from bqx.m1 join bqx.pairs using (pair) where pair = $1 group by pip_size`,
      [pair],
    )
  ).rows[0];
  if (!span) throw new Error(`no bars for ${pair}: run bqx synth --pairs ${pair} first`);
  const range = { from: span.lo.getTime(), to: span.hi.getTime() + 60_000 };
  const refreshSeconds: Record<string, number> = {};
  if (!args.includes('--no-refresh')) {
    for (const f of FAMILIES) {
      const t0 = performance.now();
      await refreshFamily(db.pool, f, pair, range);
      refreshSeconds[f] = (performance.now() - t0) / 1000;
    }
  }
  const bars = (await db.pool.query(`select * from bqx.m1 where pair = $1 order by ts_utc`, [pair])).rows;
  const I = bars.map((r) => r.rate_index as number);
  const rowsOf = async (f: string): Promise<Row[]> =>
    (await db.pool.query(`select * from bqx.${f} where pair = $1 order by ts_utc`, [pair])).rows;
  // bqx-domain families read the stored w15_bqx_return (itself checked against its reference first)
  const bqxRows = await rowsOf('bqx');
  const x = bqxRows.map((r) => r.w15_bqx_return);
  const reference: Record<string, () => Row[]> = {
    bqx: () => bqxReference(I),
    bollinger_rate: () => momentsReference(I, 'bollinger', 'rate'),
    bollinger_bqx: () => momentsReference(x, 'bollinger', 'bqx'),
    statistics_rate: () => momentsReference(I, 'statistics', 'rate'),
    statistics_bqx: () => momentsReference(x, 'statistics', 'bqx'),
    volume_features: () =>
      volumeReference(
        I,
        x,
        bars.map((r) => r.volume),
        bars.map((r) => r.close),
      ),
    spread_features: () => spreadReference(bars as Bar[], span.pip_size),
    time_features: () => timeReference(bars.map((r) => r.ts_utc)),
    reg_rate: () => regReference(I, 'idx'),
    reg_bqx: () => regReference(x, 'bqx'),
  };
  const report: Array<{
    family: string;
    columns: number;
    worst: ColumnError;
    nullMismatches: number;
    refreshSeconds?: number;
    over1e9: string[];
  }> = [];
  for (const f of FAMILIES) {
    const expected = reference[f]();
    const actual = f === 'bqx' ? bqxRows : await rowsOf(f);
    if (actual.length !== expected.length) throw new Error(`${f}: ${actual.length} rows, ${bars.length} bars`);
    const cols = family(f).columns.map((c) => c.name);
    const opts = f.startsWith('reg_') ? regCompareOptions(expected, f === 'reg_rate' ? 'idx' : 'bqx', 1e-9) : { rel: 1e-9 };
    const errs = worstScaledErrors(actual, expected, cols, opts);
    const worst = errs.reduce((a, b) => (b.worst > a.worst ? b : a));
    report.push({
      family: f,
      columns: cols.length,
      worst,
      refreshSeconds: refreshSeconds[f],
      nullMismatches: errs.reduce((a, e) => a + e.nullMismatches, 0),
      over1e9: errs
        .filter((e) => e.worst > 1e-9 || e.nullMismatches > 0)
        .map((e) => `${e.column} ${e.worst.toExponential(2)} (${e.nullMismatches} NULL)`),
    });
    // progress on stderr, a family at a time (the references of a pair-year take minutes)
    const r = report[report.length - 1];
    console.error(
      `${f}: worst ${r.worst.worst.toExponential(2)} (${r.worst.column}), NULL mismatches ${r.nullMismatches}${r.over1e9.length ? `; over 1e-9: ${r.over1e9.join('; ')}` : ''}`,
    );
  }
  if (args.includes('--json')) console.log(JSON.stringify({ pair, bars: bars.length, report }, null, 2));
  else {
    console.log(`${pair}: ${bars.length} bars, ${span.lo.toISOString()} .. ${span.hi.toISOString()}`);
    console.log('| family | columns | worst scaled error | column | NULL mismatches |');
    console.log('|---|---|---|---|---|');
    for (const r of report)
      console.log(`| \`${r.family}\` | ${r.columns} | ${r.worst.worst.toExponential(1)} | \`${r.worst.column}\` | ${r.nullMismatches} |`);
    for (const r of report) if (r.over1e9.length) console.log(`${r.family} over 1e-9: ${r.over1e9.join('; ')}`);
  }
} finally {
  await db.close();
}
