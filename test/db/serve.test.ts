/**
 * Online serving (issue 18): bqx.feature_vector and bqx.feature_vectors against an independent
 * reading of the wide view at the bar found by plain SQL (spec section 10: the latest bar T with
 * T + 1 min <= at), at the edges of the rule (10:00:30 -> 09:59, exactly 10:01 -> 10:00), across a gap,
 * on a weekend and before a pair's first bar (while another pair has earlier bars); then bqx serve over
 * HTTP: the same vectors, the error codes, bearer tokens, a reader-only login, /metrics, and SIGTERM.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { servedFeatures } from '../../src/features/sqlgen/featureVector.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { checkAuthConfig, type RunningServer, startServe } from '../../src/serve/serve.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { createLogin } from '../support/logins.ts';

const FAMILIES = ['bqx', 'bollinger_rate', 'statistics_rate', 'time_features'];
const EUR_FROM = Date.UTC(2024, 6, 1); // Monday 00:00: eurusd's first bar
const JPY_FROM = Date.UTC(2024, 5, 27); // usdjpy starts earlier
const TO = Date.UTC(2024, 6, 9);
const GAP = ['2024-07-03T12:00:00Z', '2024-07-03T12:30:00Z'];
const TOKEN = 'serve-test-token';

interface Vector {
  pair: string;
  ts_utc: string;
  age_seconds: number;
  features: Record<string, number | null>;
}

describe('serving', () => {
  const t = useTestDatabase();
  let server: RunningServer;
  const login = `bqx_t_serve_${crypto.randomBytes(4).toString('hex')}`;
  let readerUrl: string;

  /** The bar spec section 10 names, found independently: plain max() over bqx.m1. */
  const usableBar = async (pair: string, at: string): Promise<Date | null> =>
    (await t.pool.query(`select max(ts_utc) as ts from bqx.m1 where pair = $1 and ts_utc + interval '1 minute' <= $2`, [pair, at])).rows[0]
      .ts;
  /** The wide view's row at that bar, keyed as the view names its columns. */
  const viewRow = async (pair: string, ts: Date) => {
    const r = (await t.pool.query(`select * from bqx.features_${pair} where ts_utc = $1`, [ts])).rows[0];
    delete r.pair;
    delete r.ts_utc;
    return r as Record<string, number | null>;
  };
  const vector = async (pair: string, at: string, features: string[] | null = null): Promise<Vector | null> =>
    (await t.pool.query(`select bqx.feature_vector($1, $2, $3) as v`, [pair, at, features])).rows[0].v;
  const http = (p: string, token: string | null = TOKEN) =>
    fetch(`${server.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    const eur = tmpPath('serve-eur.csv');
    const jpy = tmpPath('serve-jpy.csv');
    await synthToFile(eur, { seed: 11, from: EUR_FROM, to: TO, pairs: ['eurusd'] });
    await synthToFile(jpy, { seed: 12, from: JPY_FROM, to: TO, pairs: ['usdjpy'] });
    await ingestSource(t.pool, openSource(eur));
    await ingestSource(t.pool, openSource(jpy));
    // a gap of 30 bars in eurusd, made before the features are computed
    await t.pool.query(`delete from bqx.m1 where pair = 'eurusd' and ts_utc >= $1 and ts_utc < $2`, GAP);
    const res = await runPairs(t.pool, ['eurusd', 'usdjpy'], rangePlan(FAMILIES, JPY_FROM, TO), { concurrency: 2, trigger: 'backfill' });
    expect(res.every((u) => u.status === 'ok')).toBe(true);
    readerUrl = await createLogin(t.pool, t.url, login, 'bqx_reader', 'pw');
    server = await startServe({
      url: readerUrl,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      insecure: false,
      allowWriter: false,
      role: 'bqx_reader',
      connections: 2,
    });
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await t.pool.query(`drop role if exists ${login}`).catch(() => {});
  });

  it('returns the latest bar complete at the instant: 10:00:30 sees 09:59, exactly 10:01:00 sees 10:00', async () => {
    const a = (await vector('eurusd', '2024-07-03T10:00:30Z'))!;
    expect(a.ts_utc).toBe('2024-07-03T09:59:00Z');
    expect(a.age_seconds).toBe(30);
    const b = (await vector('eurusd', '2024-07-03T10:01:00Z'))!;
    expect(b.ts_utc).toBe('2024-07-03T10:00:00Z');
    expect(b.age_seconds).toBe(0);
    const c = (await vector('eurusd', '2024-07-03T10:00:59.999Z'))!;
    expect(c.ts_utc).toBe('2024-07-03T09:59:00Z');
  });

  it('holds every served feature of the bar, as the wide view holds it (NULL stays null)', async () => {
    for (const at of ['2024-07-03T10:00:30Z', '2024-07-05T15:17:05Z', '2024-07-08T03:00:00Z']) {
      const v = (await vector('eurusd', at))!;
      const bar = (await usableBar('eurusd', at))!;
      expect(new Date(v.ts_utc).getTime()).toBe(bar.getTime());
      const row = await viewRow('eurusd', bar);
      expect(Object.keys(v.features).sort()).toEqual(
        servedFeatures()
          .map((f) => f.name)
          .sort(),
      );
      expect(Object.keys(row).sort()).toEqual(Object.keys(v.features).sort());
      for (const [k, x] of Object.entries(row)) expect(v.features[k], `${at} ${k}`).toBe(x);
      // families this database never computed are keys with null, not missing keys
      expect(v.features.rate_rsi_14).toBeNull();
      expect(v.features.rate_mean_20).not.toBeNull();
    }
  });

  it('across a gap, on a weekend, and before the first bar: the last complete bar, or nothing', async () => {
    const inGap = (await vector('eurusd', '2024-07-03T12:15:00Z'))!;
    expect(inGap.ts_utc).toBe('2024-07-03T11:59:00Z');
    expect(inGap.age_seconds).toBe(15 * 60);
    expect((await vector('eurusd', '2024-07-03T12:31:00Z'))!.ts_utc).toBe('2024-07-03T12:30:00Z');
    // Saturday noon: the market closed on Friday at 22:00 UTC
    const weekend = (await vector('eurusd', '2024-07-06T12:00:00Z'))!;
    expect(weekend.ts_utc).toBe((await usableBar('eurusd', '2024-07-06T12:00:00Z'))!.toISOString().replace('.000Z', 'Z'));
    expect(weekend.ts_utc.startsWith('2024-07-05T21:')).toBe(true);
    // eurusd starts on 1 July; usdjpy has bars on 30 June, which eurusd must never answer with
    expect(await usableBar('usdjpy', '2024-06-30T23:00:00Z')).not.toBeNull();
    expect(await vector('eurusd', '2024-06-30T23:00:00Z')).toBeNull();
    expect(await vector('eurusd', '2024-07-01T00:00:59Z')).toBeNull();
    expect((await vector('eurusd', '2024-07-01T00:01:00Z'))!.ts_utc).toBe('2024-07-01T00:00:00Z');
  });

  it('names features, and refuses unknown ones, unknown pairs and a NULL instant with their codes', async () => {
    const v = (await vector('eurusd', '2024-07-03T10:00:30Z', ['rate_mean_20', 'w15_bqx_return', 'rate_rsi_14']))!;
    const row = await viewRow('eurusd', new Date('2024-07-03T09:59:00Z'));
    expect(v.features).toEqual({ rate_mean_20: row.rate_mean_20, w15_bqx_return: row.w15_bqx_return, rate_rsi_14: null });
    await expect(vector('eurusd', '2024-07-03T10:00:30Z', ['rate_mean_20', 'mean_20'])).rejects.toMatchObject({
      code: 'BQ018',
      message: 'unknown feature(s) mean_20',
    });
    // checked even when there is no bar to answer with
    await expect(vector('eurusd', '2024-06-01T00:00:00Z', ['nope'])).rejects.toMatchObject({ code: 'BQ018' });
    await expect(vector('xxxyyy', '2024-07-03T10:00:30Z')).rejects.toMatchObject({ code: 'BQ001' });
    await expect(t.pool.query(`select bqx.feature_vector('eurusd', null)`)).rejects.toMatchObject({ code: 'BQ003' });
  });

  it('answers many (pair, at) at once in request order, each as the single form does', async () => {
    const req = [
      ['eurusd', '2024-07-03T10:00:30Z'],
      ['usdjpy', '2024-06-30T23:00:00Z'],
      ['eurusd', '2024-06-30T23:00:00Z'],
      ['usdjpy', '2024-07-06T12:00:00Z'],
    ];
    const rows = (await t.pool.query(`select * from bqx.feature_vectors($1, $2)`, [req.map((r) => r[0]), req.map((r) => r[1])])).rows;
    expect(rows.map((r) => [Number(r.ord), r.pair])).toEqual(req.map((r, i) => [i + 1, r[0]]));
    for (let i = 0; i < req.length; i++) expect(rows[i].vector).toEqual(await vector(req[i][0], req[i][1]));
    expect(rows[2].vector).toBeNull();
    const one = (
      await t.pool.query(
        `select * from bqx.feature_vectors(array['eurusd','usdjpy'], array['2024-07-03T10:00:30Z'::timestamptz], array['rate_mean_20'])`,
      )
    ).rows;
    expect(one.map((r) => r.vector.ts_utc)).toEqual(['2024-07-03T09:59:00Z', '2024-07-03T09:59:00Z']);
    await expect(
      t.pool.query(`select * from bqx.feature_vectors(array['eurusd','usdjpy'], array[now(), now(), now()])`),
    ).rejects.toMatchObject({ code: 'BQ003' });
  });

  it('serves the same vectors over HTTP, as plain JSON numbers, with null kept', async () => {
    const at = '2024-07-03T10:00:30Z';
    const res = await http(`/v1/features/eurusd?at=${at}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Vector;
    expect(body).toEqual(await vector('eurusd', at));
    expect(typeof body.features.rate_mean_20).toBe('number');
    expect(body.features.rate_rsi_14).toBeNull();
    const sub = (await (await http(`/v1/features/eurusd?at=${at}&features=rate_mean_20,rate_std_20`)).json()) as Vector;
    expect(Object.keys(sub.features).sort()).toEqual(['rate_mean_20', 'rate_std_20']);
    const many = (await (await http(`/v1/features?pairs=all&at=2024-06-30T23:00:00Z&features=rate_mean_20`)).json()) as {
      at: string;
      vectors: Vector[];
      missing: string[];
    };
    expect(many.at).toBe('2024-06-30T23:00:00.000Z');
    expect(many.vectors.map((v) => v.pair)).toEqual(['usdjpy']);
    expect(many.missing).toHaveLength(27);
    expect(many.missing).toContain('eurusd');
    expect(many.vectors[0]).toEqual(await vector('usdjpy', '2024-06-30T23:00:00Z', ['rate_mean_20']));
  });

  it('answers errors as JSON with the CLI codes: 404 unknown pair or no bar, 400 bad at or feature, 401 token', async () => {
    const cases: Array<[string, string | null, number, string]> = [
      ['/v1/features/xxxyyy?at=2024-07-03T10:00:30Z', TOKEN, 404, 'BQX_UNKNOWN_PAIR'],
      ['/v1/features/eurusd?at=2024-06-30T23:00:00Z', TOKEN, 404, 'BQX_NO_DATA'],
      ['/v1/features/eurusd?at=yesterday', TOKEN, 400, 'BQX_BAD_RANGE'],
      ['/v1/features/eurusd?at=2024-13-45T00:00:00Z', TOKEN, 400, 'BQX_BAD_RANGE'],
      ['/v1/features/eurusd?features=rate_mean_20,bogus', TOKEN, 400, 'BQX_UNKNOWN_FEATURE'],
      ['/v1/features?pairs=eurusd,nope', TOKEN, 404, 'BQX_UNKNOWN_PAIR'],
      ['/v1/features/eurusd', null, 401, 'BQX_UNAUTHORIZED'],
      ['/v1/features/eurusd', 'wrong-token', 401, 'BQX_UNAUTHORIZED'],
      ['/metrics', null, 401, 'BQX_UNAUTHORIZED'],
    ];
    for (const [p, token, status, code] of cases) {
      const res = await http(p, token);
      const body = (await res.json()) as { error: { code: string; message: string; hint?: string } };
      expect([p, res.status, body.error.code]).toEqual([p, status, code]);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    expect((await http('/v1/features/eurusd', null)).headers.get('www-authenticate')).toBe('Bearer');
    expect(await (await http('/healthz', null)).json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('exports requests, latency and staleness per pair in Prometheus text', async () => {
    const text = await (await http('/metrics')).text();
    expect(text).toMatch(/^bqx_serve_requests_total\{route="\/v1\/features\/:pair",status="200"\} \d+$/m);
    expect(text).toMatch(/^bqx_serve_request_duration_seconds_bucket\{le="0.01",route="\/v1\/features\/:pair"\} \d+$/m);
    const newest = (
      await t.pool.query(
        `select extract(epoch from now() - (max(ts_utc) + interval '1 minute'))::float8 as s from bqx.m1 where pair = 'usdjpy'`,
      )
    ).rows[0].s;
    const m = /^bqx_serve_staleness_seconds\{pair="usdjpy"\} ([\d.e+]+)$/m.exec(text);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]) - newest)).toBeLessThan(120);
    expect(text).not.toMatch(/bqx_serve_staleness_seconds\{pair="audcad"\}/); // no bars, no sample
  });

  it('runs as the reader: it cannot write, and a login that can write is refused unless --allow-writer', async () => {
    expect(server.role).toMatchObject({ role: 'bqx_reader', login, canWrite: false });
    const reader = new pg.Client({ connectionString: readerUrl, options: '-c role=bqx_reader' });
    await reader.connect();
    try {
      expect((await reader.query(`select bqx.feature_vector('eurusd', '2024-07-03T10:00:30Z') as v`)).rows[0].v).toEqual(
        await vector('eurusd', '2024-07-03T10:00:30Z'),
      );
      await expect(reader.query(`delete from bqx.m1 where pair = 'eurusd'`)).rejects.toMatchObject({ code: '42501' });
      await expect(reader.query(`select bqx.refresh_bqx('eurusd', now(), now())`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await reader.end();
    }
    // the test database's own login owns the tables: as itself (--role none) it is refused
    await expect(
      startServe({ url: t.url, host: '127.0.0.1', port: 0, token: TOKEN, insecure: false, allowWriter: false, role: null, connections: 1 }),
    ).rejects.toMatchObject({ code: 'BQX_CONFIG', message: expect.stringMatching(/can write to bqx tables/) });
    const writer = await startServe({
      url: t.url,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      insecure: false,
      allowWriter: true,
      role: null,
      connections: 1,
    });
    expect(writer.role.canWrite).toBe(true);
    await writer.stop();
  });

  it('refuses to start without a token, and --insecure off loopback', () => {
    expect(() => checkAuthConfig({ host: '127.0.0.1', token: null, insecure: false })).toThrow(/BQX_SERVE_TOKEN is not set/);
    expect(() => checkAuthConfig({ host: '0.0.0.0', token: null, insecure: true })).toThrow(/only bind to loopback/);
    expect(() => checkAuthConfig({ host: '10.1.2.3', token: TOKEN, insecure: true })).toThrow(/only bind to loopback/);
    expect(() => checkAuthConfig({ host: '127.0.0.1', token: null, insecure: true })).not.toThrow();
    expect(() => checkAuthConfig({ host: '::1', token: null, insecure: true })).not.toThrow();
    expect(() => checkAuthConfig({ host: '0.0.0.0', token: TOKEN, insecure: false })).not.toThrow();
  });

  it('bqx serve (the CLI) refuses to start without a token, serves, and exits 0 on SIGTERM', async () => {
    const runCli = (args: string[], env: Record<string, string>) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/bqx.mjs'), ...args], {
        env: { ...process.env, BQX_SERVE_TOKEN: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += String(d);
      });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      return { child, exited, stderr: () => stderr };
    };
    const refused = runCli(['serve', '--port', '0', '--database-url', readerUrl], {});
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toMatch(/BQX_CONFIG: bqx serve needs a bearer token/);

    const s = runCli(['serve', '--port', '0', '--database-url', readerUrl], { BQX_SERVE_TOKEN: TOKEN });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /"event":"listening","url":"([^"]+)"/.exec(s.stderr());
        if (m) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 100);
      s.exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`exited ${code}: ${s.stderr()}`));
      });
    });
    const res = await fetch(`${url}/v1/features/eurusd?at=2024-07-03T10:01:00Z&features=rate_mean_20`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(((await res.json()) as Vector).ts_utc).toBe('2024-07-03T10:00:00Z');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toMatch(/"event":"stopped"/);
  }, 120_000);
});
