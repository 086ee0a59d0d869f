/**
 * The streaming duplicate check holds a bounded window of keys per pair (REPEAT_WINDOW); repeats further
 * apart than the window are settled from the staged rows (staged_repeats.sql). The same source ingested
 * with a window of 50 bars and with the default one (every repeat in window) must end the same: the
 * identical repeat dropped, the differing one rejected naming the first line, the store holding the
 * original bars.
 */
import fs from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { BqxError } from '../../src/db/errors.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath, writeTmp } from '../support/files.ts';

const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 2, 6);
const t = useTestDatabase();
let source: string;
let original: string[];

beforeAll(async () => {
  const file = tmpPath('repeat-window-base.csv');
  await synthToFile(file, { seed: 3, from: FROM, to: TO, pairs: ['eurusd', 'usdjpy'] });
  original = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  // appended: an identical repeat of line 11 and a repeat of line 21 with another close, both far behind
  // the window (thousands of bars later)
  const changed = original[20].split(',');
  changed[5] = String(+changed[5] + 0.00001);
  changed[3] = String(Math.max(+changed[3], +changed[5]));
  source = writeTmp('repeat-window.csv', [...original, original[10], changed.join(',')].join('\n') + '\n');
});

it('settles repeats further apart than the window as the streaming check does: identical dropped, differing rejected naming the first line', async () => {
  const results = [];
  for (const repeatWindow of [50, undefined]) {
    await t.pool.query('truncate bqx.m1 cascade');
    const rejectFile = tmpPath(`repeat-window-rejects-${repeatWindow ?? 'default'}.csv`);
    const r = await ingestSource(t.pool, openSource(source), { rejectFile, repeatWindow });
    const rejects = fs.readFileSync(rejectFile, 'utf8').trimEnd().split('\n');
    results.push({ inserted: r.inserted, staged: r.staged, rejected: r.rejected, reasons: rejects.slice(1).map((l) => l.split(',')[0]) });
    expect(r.rowsRead).toBe(original.length + 1);
    expect(r.inserted).toBe(original.length - 1);
    expect(r.rejected).toBe(1);
    expect(rejects).toHaveLength(2);
    const ts = new Date(original[20].split(',')[1]).toISOString().slice(0, 16);
    expect(rejects[1]).toContain(`duplicate bar for ${original[20].split(',')[0]} ${ts}Z with other values than line 21`);
    expect(rejects[1].startsWith(`${original.length + 2},`)).toBe(true);
  }
  expect(results[0]).toEqual(results[1]);
  // the stored bars are the original file's, by an independent reading of it
  const expected = original
    .slice(1)
    .map((l) => l.split(','))
    .map((f) => ({ pair: f[0], ts: new Date(f[1]).getTime(), close: Number(f[5]) }))
    .sort((a, b) => (a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : a.ts - b.ts));
  const rows = (await t.pool.query(`select pair, ts_utc, close from bqx.m1 order by pair, ts_utc`)).rows;
  expect(rows.map((r) => ({ pair: r.pair, ts: r.ts_utc.getTime(), close: r.close }))).toEqual(expected);
});

it('without a reject file, a differing repeat far behind the window fails the ingest (BQX_INGEST_CONFLICT) and loads nothing', async () => {
  await t.pool.query('truncate bqx.m1 cascade');
  const err = await ingestSource(t.pool, openSource(source), { repeatWindow: 50 }).then(
    () => null,
    (e: BqxError) => e,
  );
  expect(err?.code).toBe('BQX_INGEST_CONFLICT');
  expect(err?.message).toMatch(/duplicate bar for .* with other values than line 21/);
  expect((await t.pool.query('select count(*)::int as n from bqx.m1')).rows[0].n).toBe(0);
});
