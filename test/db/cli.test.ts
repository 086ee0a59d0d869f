import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { version } from '../../src/cli/index.ts';
import { MIGRATIONS_DIR, ROOT } from '../../src/db/paths.ts';
import { bqxCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath, writeTmp } from '../support/files.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');

const bqx = bqxCli();

describe('the bqx command', () => {
  const t = useTestDatabase();

  it('runs the demo end to end and prints what it built', async () => {
    const demo = [
      'demo',
      '--pairs',
      'eurusd,usdjpy',
      '--from',
      '2024-07-01',
      '--to',
      '2024-07-03',
      '--dataset-out',
      tmpPath('demo-dataset'),
      '--trees',
      '10',
      '--json',
    ];
    const r = await bqx(t.url, ...demo);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rowsPerPair.map((p: { pair: string }) => p.pair)).toEqual(['eurusd', 'usdjpy']);
    expect(out.ingest.inserted).toBe(out.csv.rows);
    expect(out.rowsPerPair[0].indexed).toBe(out.rowsPerPair[0].rows);
    expect(out.tables.family_tables).toBe(18); // 16 per-pair families and the cross-section: currency_strength, cross_returns
    // every refreshable family computed one row per bar of every pair
    expect(out.refresh.map((f: { family: string }) => f.family)).toEqual([
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
      'technical_rate',
      'technical_bqx',
      'fibonacci_features',
      'labels',
      'currency_strength',
      'cross_returns',
      'correlation_features',
    ]);
    const cross = ['currency_strength', 'cross_returns'];
    for (const f of out.refresh.filter((x: { family: string }) => !cross.includes(x.family))) expect(f.rows).toBe(out.csv.rows);
    // the cross-section: 8 currencies per grid minute (the union of the pairs' bar minutes), and one row of
    // the aligned pairs per grid minute
    const byName = (f: string) => out.refresh.find((x: { family: string }) => x.family === f).rows;
    const cs = byName('currency_strength');
    expect(byName('cross_returns')).toBe(cs / 8);
    expect(cs % 8).toBe(0);
    for (const p of out.rowsPerPair) expect(cs).toBeGreaterThanOrEqual(8 * p.rows);
    expect(cs).toBeLessThanOrEqual(8 * out.csv.rows);
    expect(out.regR2).toHaveLength(12);
    // it ends with a dataset build over the same pairs and range
    expect(out.dataset.out).toBe(tmpPath('demo-dataset'));
    for (const pair of ['eurusd', 'usdjpy'])
      for (const split of ['train', 'validation', 'test']) expect(out.dataset.rows[pair][split]).toBeGreaterThan(200);
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
    const f = writeTmp(
      'cli-bad.csv',
      'pair,ts_utc,open,high,low,close\neurusd,2024-07-04T00:00:00Z,1.1,1.2,1.0,1.1\neurusd,2024-07-04T00:01:00Z,1.1,1.0,1.2,1.1\n',
    );
    const r = await bqx(t.url, 'ingest', f);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`bqx: BQX_INGEST_INVALID: ${f}: 1 invalid row(s); nothing was loaded`);
    expect(r.stderr).toContain(`${f}:3: high 1 < low 1.2`);
    expect(r.stderr).toMatch(/hint: .*--reject-file/);
    const j = await bqx(t.url, 'ingest', f, '--json');
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout).error).toMatchObject({
      code: 'BQX_INGEST_INVALID',
      details: { rejects: [{ line: 3, reason: 'high 1 < low 1.2' }] },
    });
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
    expect(l.map((p: { partition_name: string }) => p.partition_name)).toEqual([
      'm1_eurusd_2024_07',
      'm1_eurusd_2024_08',
      'm1_eurusd_2024_09',
    ]);
    const d = await bqx(t.url, 'doctor');
    expect(d.code).toBe(0);
    const migrations = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
    expect(d.stdout).toMatch(new RegExp(`^ok: ${migrations} migrations, \\d+ sql/ files, 16 families match the database`));
  });

  it('prints its version, and an example and the required options in every --help', async () => {
    const v = await bqx(null, '--version');
    expect(v).toMatchObject({ code: 0, stdout: `${version()}\n` });
    const h = await bqx(null, 'partitions', 'ensure', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--from <date>\s+\(required\) first month/);
    expect(h.stdout).toMatch(/Example:\n {2}bqx partitions ensure --family all --pairs all --from 2024-01 --to 2025-12/);
  });

  it('exits 2 on every usage error: a missing required option, an unknown flag or command, an impossible date, --pair with --pairs', async () => {
    for (const args of [
      ['backfill', '--to', '2024-08'],
      ['synth', '--from', '2024-07'],
      ['dataset', 'build', '--from', '2024-07'],
      ['partitions', 'detach', '--family', 'm1'],
      ['partitions', 'ensure', '--to', '2024-08'],
    ]) {
      const r = await bqx(t.url, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/error: required option '--\w+ <[^>]+>' not specified/);
    }
    const unknown = await bqx(t.url, 'status', '--no-such-flag');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--no-such-flag'/);
    expect((await bqx(t.url, 'no-such-command')).code).toBe(2);
    expect((await bqx(null)).code).toBe(2);
    for (const args of [
      ['backfill', '--from', '2024-02-30', '--to', '2024-03'],
      ['dataset', 'build', '--from', '2024-07-01', '--to', '2024-06-31'],
      ['synth', '--from', '2023-02-29', '--to', '2023-03', '--out', tmpPath('never')],
    ]) {
      const r = await bqx(t.url, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/BQX_USAGE: --(from|to) "\d{4}-\d{2}-\d{2}" is not a date: (February|June) 20\d\d has (28|29|30) days/);
    }
    expect(fs.existsSync(tmpPath('never'))).toBe(false);
    const both = await bqx(t.url, 'refresh', '--pair', 'eurusd', '--pairs', 'gbpusd');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --pair or --pairs, not both/);
  });

  it('takes --pair wherever it takes --pairs', async () => {
    const r = await bqx(
      t.url,
      'partitions',
      'ensure',
      '--family',
      'bollinger_rate',
      '--pair',
      'audnzd',
      '--from',
      '2023-01',
      '--to',
      '2023-02',
      '--premake',
      '0',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const { rows } = await t.pool.query(
      `select relname from pg_class where relnamespace = 'bqx'::regnamespace and relname like 'bollinger\\_rate\\_%\\_2023\\_01'`,
    );
    expect(rows).toEqual([{ relname: 'bollinger_rate_audnzd_2023_01' }]);
  });

  it('makes a login role an analyst can connect with: it reads every view and writes nothing', async () => {
    const name = `nc_analyst_${process.pid}`;
    const r = await bqx(t.url, 'roles', 'add', name, '--reader', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ role: name, group: 'bqx_reader', created: true, passwordChanged: true });
    expect(out.generatedPassword).toMatch(/^[\w-]{20}$/);
    expect(new URL(out.url)).toMatchObject({ username: name, password: out.generatedPassword, pathname: new URL(t.url).pathname });
    const c = new pg.Client({ connectionString: out.url });
    await c.connect();
    try {
      expect((await c.query('select current_user as u')).rows[0].u).toBe(name);
      // it sees what the owner sees (the first test's demo stored eurusd)
      const count = 'select count(*)::int as n from bqx.features_eurusd';
      expect((await c.query(count)).rows[0].n).toBe((await t.pool.query(count)).rows[0].n);
      await expect(c.query(`delete from bqx.m1 where pair = 'eurusd'`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`select bqx.refresh_bqx('eurusd', '2024-07-01', '2024-07-02')`)).rejects.toThrow(/permission denied/);
    } finally {
      await c.end();
    }
    // again: the same role, a password of our choosing, still a reader only; a writer is a writer
    const again = JSON.parse((await bqx(t.url, 'roles', 'add', name, '--reader', '--password', 'pw-1', '--json')).stdout);
    expect(again).toMatchObject({ created: false, passwordChanged: true });
    expect(again.generatedPassword).toBeUndefined();
    const w = await bqx(t.url, 'roles', 'add', `${name}_w`, '--writer', '--password', 'pw-2');
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toContain(`created login ${name}_w, a member of bqx_writer; password set`);
    const { rows } = await t.pool.query(
      `select r.rolname, pg_has_role(r.rolname, 'bqx_reader', 'member') as reader, pg_has_role(r.rolname, 'bqx_writer', 'member') as writer
      from pg_roles r where r.rolname like $1 order by 1`,
      [`${name}%`],
    );
    expect(rows).toEqual([
      { rolname: name, reader: true, writer: false },
      { rolname: `${name}_w`, reader: false, writer: true },
    ]);
    for (const [args, code] of [
      [['roles', 'add', name], 2],
      [['roles', 'add', name, '--reader', '--writer'], 2],
      [['roles', 'add', 'Bad-Name', '--reader'], 3],
      [['roles', 'add', 'bqx_owner', '--writer'], 2],
    ] as const) {
      expect((await bqx(t.url, ...args)).code, args.join(' ')).toBe(code);
    }
    for (const role of [name, `${name}_w`]) {
      await t.pool.query(`drop owned by ${role}`);
      await t.pool.query(`drop role ${role}`);
    }
  });

  it('prints the URL it connects to without starting anything', async () => {
    expect((await bqx(t.url, 'db', 'url')).stdout).toBe(`${t.url}\n`);
    const r = await run(process.execPath, [BIN, 'db', 'url'], { env: { ...process.env, DATABASE_URL: '', BQX_EMBEDDED_PORT: '54430' } });
    expect(r.stdout).toBe('postgres://postgres:bqx@127.0.0.1:54430/bqx\n');
  });
});
