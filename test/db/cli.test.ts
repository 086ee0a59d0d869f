import fs from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, ROOT } from '../../src/db/paths.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath, writeTmp } from '../support/files.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');

async function bqx(url: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args, '--database-url', url], { env: { ...process.env, DATABASE_URL: '' }, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the bqx command', () => {
  const t = useTestDatabase();

  it('runs the demo end to end and prints what it built', async () => {
    const demo = ['demo', '--pairs', 'eurusd,usdjpy', '--from', '2024-07-01', '--to', '2024-07-03', '--dataset-out', tmpPath('demo-dataset'), '--trees', '10', '--json'];
    const r = await bqx(t.url, ...demo);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rowsPerPair.map((p: { pair: string }) => p.pair)).toEqual(['eurusd', 'usdjpy']);
    expect(out.ingest.inserted).toBe(out.csv.rows);
    expect(out.rowsPerPair[0].indexed).toBe(out.rowsPerPair[0].rows);
    expect(out.tables.family_tables).toBe(14);
    // every refreshable family computed one row per bar of every pair
    expect(out.refresh.map((f: { family: string }) => f.family)).toEqual(['bqx', 'bollinger_rate', 'bollinger_bqx', 'statistics_rate', 'statistics_bqx', 'volume_features', 'spread_features', 'time_features', 'reg_rate', 'reg_bqx', 'technical_rate', 'technical_bqx', 'labels']);
    for (const f of out.refresh) expect(f.rows).toBe(out.csv.rows);
    expect(out.regR2).toHaveLength(12);
    // it ends with a dataset build over the same pairs and range
    expect(out.dataset.out).toBe(tmpPath('demo-dataset'));
    for (const pair of ['eurusd', 'usdjpy']) for (const split of ['train', 'validation', 'test']) expect(out.dataset.rows[pair][split]).toBeGreaterThan(200);
    expect(out.dataset.selected).toHaveLength(100);
    expect(out.dataset.baseline.map((h: { horizon: number }) => h.horizon)).toEqual([15, 30, 45, 60]);
    expect(fs.existsSync(path.join(tmpPath('demo-dataset'), 'report.html'))).toBe(true);
    const again = JSON.parse((await bqx(t.url, ...demo)).stdout);
    expect(again.ingest).toMatchObject({ inserted: 0, unchanged: out.csv.rows });
    // the rerun rebuilds the same dataset in place
    expect(again.dataset.rows).toEqual(out.dataset.rows);
    expect(again.dataset.selected).toEqual(out.dataset.selected);
  });

  it('exits 3 on bad input with the file, line and reason, as text and as JSON', async () => {
    const f = writeTmp('cli-bad.csv', 'pair,ts_utc,open,high,low,close\neurusd,2024-07-04T00:00:00Z,1.1,1.2,1.0,1.1\neurusd,2024-07-04T00:01:00Z,1.1,1.0,1.2,1.1\n');
    const r = await bqx(t.url, 'ingest', f);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`bqx: BQX_INGEST_INVALID: ${f}: 1 invalid row(s); nothing was loaded`);
    expect(r.stderr).toContain(`${f}:3: high 1 < low 1.2`);
    expect(r.stderr).toMatch(/hint: .*--reject-file/);
    const j = await bqx(t.url, 'ingest', f, '--json');
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'BQX_INGEST_INVALID', details: { rejects: [{ line: 3, reason: 'high 1 < low 1.2' }] } });
  });

  it('exits 2 on usage errors and 3 on hostile identifiers, with hints', async () => {
    const u = await bqx(t.url, 'partitions', 'ensure', '--from', 'yesterday', '--to', '2024-02');
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--from "yesterday" is not a date/);
    const h = await bqx(t.url, 'partitions', 'ensure', '--pairs', "eurusd';drop table bqx.m1;--", '--from', '2024-01', '--to', '2024-02');
    expect(h.code).toBe(3);
    expect(h.stderr).toMatch(/BQX_UNKNOWN_PAIR/);
  });

  it('lists partitions and reports no drift', async () => {
    const l = JSON.parse((await bqx(t.url, 'partitions', 'list', '--family', 'm1', '--pair', 'eurusd', '--json')).stdout);
    expect(l.map((p: { partition_name: string }) => p.partition_name)).toEqual(['m1_eurusd_2024_07', 'm1_eurusd_2024_08', 'm1_eurusd_2024_09']);
    const d = await bqx(t.url, 'doctor');
    expect(d.code).toBe(0);
    const migrations = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
    expect(d.stdout).toMatch(new RegExp(`^ok: ${migrations} migrations, \\d+ sql/ files, 14 families match the database`));
  });
});
