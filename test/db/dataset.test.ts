/**
 * `bqx dataset build` end to end on a real Postgres and DuckDB (issue 8): the Parquet values against
 * Postgres (features and labels as stored, lags against the lagged view's own lag()), the cut
 * instants and the purge against an independent count over bqx.m1, the manifest's checksums and
 * counts, the report, and failures that name the pair, the feature and the rows while leaving a
 * previous dataset as it was.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { buildDatasetFiles, type DatasetOptions, type DatasetResult } from '../../src/pipeline/buildDatasetFiles.ts';
import { DuckSession } from '../../src/pipeline/DuckSession.ts';
import { recomputeSample } from '../../src/pipeline/recomputeSample.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';

const PAIRS = ['eurusd', 'usdjpy'];
const FROM = Date.UTC(2024, 5, 25);
const TO = Date.UTC(2024, 6, 13);
const FAMILIES = ['bqx', 'bollinger_rate', 'statistics_rate', 'volume_features', 'spread_features', 'time_features', 'labels'];
const run = promisify(execFile);

describe('dataset build', () => {
  const t = useTestDatabase();
  let res: DatasetResult;
  let duck: DuckSession;
  const opts = (out: string): DatasetOptions => ({
    pairs: PAIRS,
    from: FROM,
    to: TO,
    top: 20,
    trees: 10,
    maxDepth: 6,
    seed: 7,
    concurrency: 2,
    out,
    maxMissing: 0.01,
    maxGapMinutes: 60,
    selectRows: 20_000,
    permutationRows: 3000,
    fitRows: 40_000,
  });

  beforeAll(async () => {
    const file = tmpPath('dataset.csv');
    await synthToFile(file, { seed: 5, from: Date.UTC(2024, 5, 24), to: TO + 86_400_000, pairs: PAIRS });
    await ingestSource(t.pool, openSource(file));
    const r = await runPairs(t.pool, PAIRS, rangePlan(FAMILIES, Date.UTC(2024, 5, 24), TO + 86_400_000), {
      concurrency: 2,
      trigger: 'backfill',
    });
    expect(r.every((u) => u.status === 'ok')).toBe(true);
    res = await buildDatasetFiles(t.pool, opts(tmpPath('ds-main')));
    duck = await DuckSession.open({ threads: 2 });
    return () => duck.close();
  });

  const parquet = (split: string, pair: string) => path.join(res.out, split, `${pair}.parquet`);

  it('writes the 576 default columns per pair and split, in time order, with the stored values', async () => {
    expect(res.featureSet.columns).toHaveLength(576);
    const cols = await duck.rows<{ column_name: string }>(
      `select column_name from (describe select * from read_parquet('${parquet('train', 'eurusd')}'))`,
    );
    expect(cols.map((c) => c.column_name)).toEqual([
      'pair',
      'ts_utc',
      ...res.featureSet.columns.map((c) => c.name),
      ...res.featureSet.labels,
    ]);
    for (const pair of PAIRS) {
      const rows = await duck.rows<Record<string, unknown>>(
        `select epoch_ms(ts_utc) as ms, * exclude (ts_utc) from read_parquet('${parquet('train', pair)}') order by ts_utc`,
      );
      const [{ disorder }] = await duck.rows<{ disorder: bigint }>(
        `select count(*) filter (where ts_utc <= prev) as disorder from (select ts_utc, lag(ts_utc) over (order by file_row_number) as prev from read_parquet('${parquet('test', pair)}', file_row_number = true))`,
      );
      expect(disorder).toBe(0n);
      for (const i of [0, 777, rows.length - 1]) {
        const r = rows[i];
        const ts = new Date(Number(r.ms));
        // the lags independently: the view's row n bars earlier, found by an offset over bqx.m1
        const viewAt = async (lag: number) => {
          const at =
            lag === 0
              ? ts
              : (
                  await t.pool.query(`select ts_utc from bqx.m1 where pair = $1 and ts_utc < $2 order by ts_utc desc offset $3 limit 1`, [
                    pair,
                    ts,
                    lag - 1,
                  ])
                ).rows[0].ts_utc;
          return (await t.pool.query(`select * from bqx.features_${pair} where ts_utc = $1`, [at])).rows[0];
        };
        const views = new Map<number, Record<string, unknown>>();
        for (const lag of [0, 60, 120, 180]) views.set(lag, await viewAt(lag));
        const labels = (await t.pool.query(`select * from bqx.labels where pair = $1 and ts_utc = $2`, [pair, ts])).rows[0];
        for (const c of res.featureSet.columns) {
          expect(r[c.name], `${pair} ${ts.toISOString()} ${c.name}`).toBe(views.get(c.lag)![c.source]);
        }
        for (const l of res.featureSet.labels) expect(r[l], `${pair} ${ts.toISOString()} ${l}`).toBe(labels[l]);
      }
    }
  });

  it('splits at the 70% and 85% bar instants of all pairs and purges 60 bars before each cut', async () => {
    const ts = (
      await t.pool.query(`select ts_utc from bqx.m1 where pair = any($1) and ts_utc >= $2 and ts_utc < $3 order by ts_utc`, [
        PAIRS,
        new Date(FROM),
        new Date(TO),
      ])
    ).rows.map((r) => (r.ts_utc as Date).getTime());
    // percentile_disc: the first value whose cumulative share reaches p
    const disc = (p: number) => ts[Math.ceil(p * ts.length) - 1];
    expect(res.cuts.cut1.getTime()).toBe(disc(0.7));
    expect(res.cuts.cut2.getTime()).toBe(disc(0.85));
    const ends: Record<string, number> = { train: disc(0.7), validation: disc(0.85), test: TO };
    const starts: Record<string, number> = { train: FROM, validation: disc(0.7), test: disc(0.85) };
    for (const pair of PAIRS) {
      const bars = (await t.pool.query(`select ts_utc from bqx.m1 where pair = $1 order by ts_utc`, [pair])).rows.map((r) =>
        (r.ts_utc as Date).getTime(),
      );
      for (const split of ['train', 'validation', 'test']) {
        // independent expectation: bars in the split's span past the 420-bar warm-up whose bar + 60 lies before the split's end
        const expected = bars.filter(
          (b, i) => b >= starts[split] && b < ends[split] && i >= 420 && i + 60 < bars.length && bars[i + 60] < ends[split],
        );
        const got = (
          await duck.rows<{ ms: number }>(`select epoch_ms(ts_utc) as ms from read_parquet('${parquet(split, pair)}') order by ts_utc`)
        ).map((r) => Number(r.ms));
        expect(got, `${pair} ${split}`).toEqual(expected);
        expect(res.manifest.rows[pair][split as 'train']).toBe(expected.length);
        // exactly 60 bars lie between the split's last row and its end
        const last = got[got.length - 1];
        expect(bars.filter((b) => b > last && b < ends[split]).length).toBe(60);
      }
    }
  });

  it('writes a manifest whose checksums, counts and versions are true, and a report', async () => {
    const m = JSON.parse(fs.readFileSync(path.join(res.out, 'manifest.json'), 'utf8'));
    expect(m.format).toBe('bqx-dataset/1');
    expect(m.files).toHaveLength(PAIRS.length * 3);
    for (const f of m.files) {
      const file = path.join(res.out, f.path);
      expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'), f.path).toBe(f.sha256);
      const [{ n }] = await duck.rows<{ n: bigint }>(`select count(*) as n from read_parquet('${file}')`);
      expect(Number(n)).toBe(f.rows);
    }
    expect(m.versions.postgres).toMatch(/^\d+/);
    expect(m.versions.duckdb).toMatch(/^v\d/);
    expect(m.versions.lastMigration).toBeTruthy();
    expect(m.split).toMatchObject({ validationFrom: res.cuts.cut1.toISOString(), testFrom: res.cuts.cut2.toISOString(), purgeBars: 60 });
    expect(m.selected).toHaveLength(20);
    expect(new Set(m.selected).size).toBe(20);
    expect(m.features.count).toBe(576);
    // the scaler is the train split's own mean and population std
    const s = m.scaler[0];
    const [ref] = await duck.rows<{ m: number; s: number }>(
      `select avg("${s.feature}") as m, stddev_pop("${s.feature}") as s from read_parquet([${PAIRS.map((p) => `'${parquet('train', p)}'`).join(', ')}])`,
    );
    expect(s.mean).toBeCloseTo(ref.m, 12);
    expect(s.std).toBeCloseTo(ref.s, 12);
    const html = fs.readFileSync(path.join(res.out, 'report.html'), 'utf8');
    // four charts, and the train/test PSI of the selected features (issue 19)
    expect(html.match(/<svg/g)).toHaveLength(5);
    // the report's test stretch is the first test bars of a pair, as the Parquet file holds them
    const st = res.baseline.testStretch.find((x) => x.horizon === 60)!;
    expect(PAIRS).toContain(st.pair);
    expect(st.actual.length).toBeGreaterThan(100);
    const firstTest = await duck.rows<{ d: number }>(
      `select d_bqx_w60_60 as d from read_parquet('${parquet('test', st.pair)}') order by ts_utc limit ${st.actual.length}`,
    );
    expect(st.actual).toEqual(firstTest.map((r) => r.d));
    expect(html).toMatch(new RegExp(`first ${st.actual.length} test bars of ${st.pair}`));
    expect(html).toContain('aria-label="PSI train vs test"');
    const psi = JSON.parse(fs.readFileSync(path.join(res.out, 'report.json'), 'utf8')).psi;
    expect(psi.features.map((f: { feature: string }) => f.feature).sort()).toEqual([...m.selected].sort());
    for (const f of m.selected.slice(0, 5)) expect(html).toContain(f);
    expect(res.baseline.horizons.map((h) => h.horizon)).toEqual([15, 30, 45, 60]);
    for (const h of res.baseline.horizons) {
      // persistence predicts no change: its R^2 on the change is -mean^2/var, never above 0
      expect(h.persistenceR2Change).toBeLessThanOrEqual(0);
      expect(h.testRows).toBe(PAIRS.reduce((n, p) => n + m.rows[p].test, 0));
    }
    expect(res.selection.ranking[0].permutation).toBeTypeOf('number');
    expect(res.selection.stability.groups).toBe(5);
    expect(fs.readdirSync(path.dirname(res.out)).filter((d) => d.includes('.building-'))).toEqual([]);
  });

  it('builds the same rows chunk by chunk as in one pass, across the month boundary', async () => {
    // one chunk per pair (the whole range at once), against chunks of 1,500 bars: about a dozen per
    // pair, one ending near the end of June, the lags of every chunk's first rows reading the
    // previous chunk's bars and the purge of its last rows the next chunk's
    const whole = await buildDatasetFiles(t.pool, { ...opts(tmpPath('ds-whole')), chunkBars: 1_000_000 });
    const chunked = await buildDatasetFiles(t.pool, { ...opts(tmpPath('ds-chunked')), chunkBars: 1500 });
    const bars = (
      await t.pool.query(`select count(*)::int as n from bqx.m1 where pair = $1 and ts_utc >= $2 and ts_utc < $3`, [
        'eurusd',
        new Date(FROM),
        new Date(TO),
      ])
    ).rows[0].n;
    expect(bars).toBeGreaterThan(10 * 1500);
    for (const r of [whole, chunked, res]) expect(r.cuts).toEqual(res.cuts);
    for (const split of ['train', 'validation', 'test']) {
      for (const pair of PAIRS) {
        const a = path.join(whole.out, split, `${pair}.parquet`);
        const b = path.join(chunked.out, split, `${pair}.parquet`);
        const c = path.join(res.out, split, `${pair}.parquet`);
        const [counts] = await duck.rows<{ a: bigint; b: bigint; c: bigint }>(
          `select (select count(*) from read_parquet('${a}')) as a, (select count(*) from read_parquet('${b}')) as b, (select count(*) from read_parquet('${c}')) as c`,
        );
        expect(counts.a, `${split} ${pair}`).toBeGreaterThan(0n);
        expect(counts.b).toBe(counts.a);
        expect(counts.c).toBe(counts.a);
        // row for row, in file order: the n-th row of each file, every column (NULLs equal)
        for (const other of [b, c]) {
          // a table's alias is its row as a struct: rows paired by their place in the file
          const [{ differing, rows }] = await duck.rows<{ differing: bigint; rows: bigint }>(
            `with x as (select * from read_parquet('${a}', file_row_number = true)),
                  y as (select * from read_parquet('${other}', file_row_number = true))
             select count(*) filter (where x is distinct from y) as differing, count(*) as rows
             from x full join y using (file_row_number)`,
          );
          expect(differing, `${split} ${pair} ${other}`).toBe(0n);
          expect(rows).toBe(counts.a);
        }
      }
    }
    // and what is derived from the files: validation, selection, baseline, the leakage checks' reach
    for (const r of [chunked, res]) {
      expect(r.pairs.map((p) => p.validation)).toEqual(whole.pairs.map((p) => p.validation));
      expect(r.pairs.map((p) => p.extract.barsInRange)).toEqual(whole.pairs.map((p) => p.extract.barsInRange));
      expect(r.selection.selected).toEqual(whole.selection.selected);
      // the same rows in a different row-group layout: DuckDB's parallel sums add them in another order,
      // as two runs of one build may (BENCHMARKS.md, issue 20 item 2), so the scores agree to the last bits
      expect(r.baseline.horizons.map((h) => Object.keys(h))).toEqual(whole.baseline.horizons.map((h) => Object.keys(h)));
      r.baseline.horizons.forEach((h, i) => {
        for (const [k, v] of Object.entries(h)) {
          const w = (whole.baseline.horizons[i] as unknown as Record<string, unknown>)[k];
          if (typeof v === 'number' && typeof w === 'number' && !Number.isInteger(v)) {
            expect(Math.abs(v - w), `h${h.horizon} ${k}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
          } else expect(v, `h${h.horizon} ${k}`).toEqual(w);
        }
      });
      expect(r.pairs.map((p) => p.leakage!.recomputed)).toEqual(whole.pairs.map((p) => p.leakage!.recomputed));
    }
    expect(whole.pairs.map((p) => p.leakage!.featureReach.sampledRows)).toEqual([25, 25]);
    expect(chunked.pairs.every((p) => p.leakage!.featureReach.sampledRows >= 10 * 25)).toBe(true);
  });

  it('recomputes a row in Postgres on history truncated there, leaves the database as it was, and fails on a differing value', async () => {
    const one = tmpPath('one-row.parquet');
    await duck.run(`copy (select * from read_parquet('${parquet('test', 'usdjpy')}') limit 1 offset 300) to '${one}' (format parquet)`);
    const before = (await t.pool.query(`select count(*)::int as n, sum(extract(epoch from ts_utc)) as s from bqx.m1`)).rows[0];
    const ok = await recomputeSample(t.pool, duck, 'usdjpy', one, res.featureSet, 1);
    expect(ok).toMatchObject({
      columns: 576,
      families: ['bqx', 'bollinger_rate', 'statistics_rate', 'volume_features', 'spread_features', 'time_features'],
    });
    expect((await t.pool.query(`select count(*)::int as n, sum(extract(epoch from ts_utc)) as s from bqx.m1`)).rows[0]).toEqual(before);
    const bad = tmpPath('one-row-bad.parquet');
    await duck.run(
      `copy (select * replace ("rate_mean_20_lag60" * (1 + 1e-12) as "rate_mean_20_lag60") from read_parquet('${one}')) to '${bad}' (format parquet)`,
    );
    await expect(recomputeSample(t.pool, duck, 'usdjpy', bad, res.featureSet, 1)).rejects.toMatchObject({
      code: 'BQX_LEAKAGE',
      message: expect.stringMatching(/usdjpy: leakage check "feature reach" failed: .*\n {2}rate_mean_20_lag60: dataset/s),
    });
    expect(Object.values(res.manifest.leakage).every((l) => l.recomputed?.columns === 576)).toBe(true);
  });

  it('fails on bad data, naming the pair, the feature and the rows, and leaves the previous dataset as it was', async () => {
    const out = tmpPath('ds-main');
    const before = fs.readFileSync(path.join(out, 'manifest.json'), 'utf8');
    const bad = new Date(Date.UTC(2024, 6, 3, 10, 30));
    await t.pool.query(`update bqx.statistics_rate set mean_20 = 'Infinity' where pair = 'usdjpy' and ts_utc = $1`, [bad]);
    try {
      await expect(buildDatasetFiles(t.pool, opts(out))).rejects.toMatchObject({
        code: 'BQX_DATASET_INVALID',
        message: expect.stringMatching(/usdjpy\.rate_mean_20: 1 NaN or Infinity value\(s\) \(first: 2024-07-03 10:30:00\+00\)/),
      });
    } finally {
      await t.pool.query(
        `update bqx.statistics_rate s set mean_20 = f.mean_20 from (select avg(rate_index) over (order by ts_utc rows 19 preceding) as mean_20, ts_utc from bqx.m1 where pair = 'usdjpy') f where s.pair = 'usdjpy' and s.ts_utc = $1 and f.ts_utc = s.ts_utc`,
        [bad],
      );
    }
    expect(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.dirname(out)).filter((d) => d.includes('.building-'))).toEqual([]);

    // labels behind the bars
    await t.pool.query(
      `update bqx.labels set d_bqx_w60_30 = null where pair = 'eurusd' and ts_utc between '2024-07-05 12:00Z' and '2024-07-05 12:09Z'`,
    );
    await expect(buildDatasetFiles(t.pool, opts(tmpPath('ds-labels')))).rejects.toMatchObject({
      code: 'BQX_DATASET_INVALID',
      message: expect.stringMatching(/eurusd: 10 dataset row\(s\) from 2024-07-05 12:00:00\+00 to 2024-07-05 12:09:00\+00 have no label/),
      hint: expect.stringMatching(/bqx refresh --family labels --pairs eurusd/),
    });
    await runPairs(t.pool, ['eurusd'], rangePlan(['labels'], Date.UTC(2024, 6, 5), Date.UTC(2024, 6, 6)), {
      concurrency: 1,
      trigger: 'refresh',
    });
    expect(fs.existsSync(tmpPath('ds-labels'))).toBe(false);

    // a gap of two hours on a Wednesday
    const gap = await t.pool.query(
      `delete from bqx.m1 where pair = 'eurusd' and ts_utc >= '2024-07-10 09:00Z' and ts_utc < '2024-07-10 11:00Z' returning *`,
    );
    try {
      await expect(buildDatasetFiles(t.pool, opts(tmpPath('ds-gap')))).rejects.toMatchObject({
        code: 'BQX_DATASET_INVALID',
        message: expect.stringMatching(
          /eurusd: 1 gap\(s\) longer than 60 minutes .*2024-07-10 08:59:00\+00 -> 2024-07-10 11:00:00\+00 \(121 min\)/s,
        ),
      });
    } finally {
      const cols = Object.keys(gap.rows[0]);
      for (const r of gap.rows)
        await t.pool.query(
          `insert into bqx.m1 (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
          cols.map((c) => r[c]),
        );
    }
    // the re-run completes the work
    const again = await buildDatasetFiles(t.pool, opts(out));
    expect(again.manifest.rows).toEqual(res.manifest.rows);
    expect(again.selection.selected).toEqual(res.selection.selected);
  });

  it('tells a read-only role that the leakage recompute needs a role that can refresh', async () => {
    const reader = new pg.Pool({ connectionString: t.url, max: 3, options: '-c role=bqx_reader' });
    try {
      await expect(buildDatasetFiles(reader, { ...opts(tmpPath('ds-reader')), pairs: ['eurusd'] })).rejects.toMatchObject({
        code: 'BQX_CONFIG',
        message: expect.stringMatching(/permission denied for table m1/),
        hint: expect.stringMatching(/bqx_writer/),
      });
    } finally {
      await reader.end();
    }
    expect(fs.existsSync(tmpPath('ds-reader'))).toBe(false);
  });

  it('bqx dataset build: the CLI, its summary and its usage errors', async () => {
    const env = { ...process.env, DATABASE_URL: t.url };
    const bqx = (args: string[]) =>
      run(process.execPath, [path.join(ROOT, 'bin/bqx.mjs'), ...args], { env, cwd: ROOT, maxBuffer: 1 << 26 });
    const out = tmpPath('ds-cli');
    const { stdout } = await bqx([
      'dataset',
      'build',
      '--pairs',
      PAIRS.join(','),
      '--from',
      '2024-06-25',
      '--to',
      '2024-07-13',
      '--trees',
      '6',
      '--depth',
      '5',
      '--top',
      '10',
      '--select-rows',
      '10000',
      '--permutation-rows',
      '2000',
      '--fit-rows',
      '20000',
      '--out',
      out,
    ]);
    expect(stdout).toMatch(/dataset: 2 pair\(s\), 576 feature columns/);
    expect(stdout).toMatch(/leakage checks passed/);
    expect(stdout).toMatch(/^15 +-?\d\.\d{3}/m);
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(true);
    await expect(bqx(['dataset', 'build', '--from', '2024-06-25', '--to', '2024-07-13', '--horizons', '20'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--horizons 20: the labels table holds horizons 15, 30, 45, 60, 75 only/),
    });
    fs.mkdirSync(tmpPath('not-a-dataset'), { recursive: true });
    fs.writeFileSync(tmpPath('not-a-dataset/notes.txt'), 'keep me');
    await expect(
      bqx(['dataset', 'build', '--from', '2024-06-25', '--to', '2024-07-13', '--out', tmpPath('not-a-dataset')]),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/is not empty and holds no dataset/) });
    expect(fs.readFileSync(tmpPath('not-a-dataset/notes.txt'), 'utf8')).toBe('keep me');
  });
});
