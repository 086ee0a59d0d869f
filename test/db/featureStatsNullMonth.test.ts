/**
 * A month in which every column of a family is NULL (a pair's rates before its baseline, the base
 * instant 2024-07-01): the statistics keep one row per column and month, all of its rows NULL, no
 * histogram and no edges; the unit does not fail. Before, the histogram pass was no aggregate when no
 * column had edges, and wrote each column's month row once per sampled bar (a duplicate key).
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { family } from '../../src/features/catalog/index.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

const FROM = Date.UTC(2024, 5, 24);
const TO = Date.UTC(2024, 5, 29);

const t = useTestDatabase();

it('a month of a family whose columns are all NULL gets one statistics row per column, every row NULL, no histogram', async () => {
  const file = tmpPath('stats-null-month.csv');
  await synthToFile(file, { seed: 5, from: FROM, to: TO, pairs: ['eurusd'] });
  await ingestSource(t.pool, openSource(file));
  const bars = fs.readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
  const units = await runPairs(t.pool, ['eurusd'], rangePlan(['bqx', 'bollinger_rate'], FROM, TO), { concurrency: 1, trigger: 'backfill' });
  expect(units.map((u) => `${u.family}:${u.status}`)).toEqual(['bqx:ok', 'bollinger_rate:ok']);
  const cols = family('bollinger_rate').columns.map((c) => c.name);
  // the premise: nothing but NULLs in the family's columns (no rate index before the baseline)
  const nonNull = (await t.pool.query(`select ${cols.map((c) => `count(${JSON.stringify(c)})`).join(' + ')} as n from bqx.bollinger_rate`))
    .rows[0].n;
  expect(Number(nonNull)).toBe(0);
  const rows = (
    await t.pool.query(
      `select column_name, to_char(month, 'YYYY-MM-DD') as month, rows::int, nulls::int, hist from bqx.feature_stats where family = 'bollinger_rate' order by column_name`,
    )
  ).rows;
  expect(rows).toEqual([...cols].sort().map((c) => ({ column_name: c, month: '2024-06-01', rows: bars, nulls: bars, hist: null })));
  expect((await t.pool.query(`select count(*)::int as n from bqx.feature_stats_edges where family = 'bollinger_rate'`)).rows[0].n).toBe(0);
});
