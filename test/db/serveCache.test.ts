/**
 * bqx serve's vector cache (issue 18's speed goals) against the database's own answers: a cached vector
 * is the bytes bqx.feature_vector_json returns for the same instant; a late bar ingested and refreshed,
 * a hand-edited bar and a new newest bar are served on the next request once the commit's
 * notification is in; a lost listening connection turns the cache off until it is back; a write that
 * bypasses the notifying paths is served stale for at most the maximum age; a detached month is served as
 * gone. All as a reader-only login.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { type RunningServer, startServe } from '../../src/serve/serve.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { createLogin } from '../support/logins.ts';

const FAMILIES = ['bqx', 'statistics_rate'];
const FROM = Date.UTC(2024, 6, 1);
const TO = Date.UTC(2024, 6, 4);
const GAP = ['2024-07-02T12:00:00Z', '2024-07-02T12:30:00Z'];
const TOKEN = 'serve-cache-token';

interface Vector {
  pair: string;
  ts_utc: string;
  age_seconds: number;
  features: Record<string, number | null>;
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('serving from the vector cache', () => {
  const t = useTestDatabase();
  const login = `bqx_t_cache_${crypto.randomBytes(4).toString('hex')}`;
  let readerUrl: string;
  let server: RunningServer;
  let csv: string;

  const http = async (s: RunningServer, p: string) => {
    const res = await fetch(`${s.url}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: res.status, text: await res.text() };
  };
  /** What the database answers for the same request: the reference, byte for byte. */
  const dbText = async (at: string | Date) =>
    (await t.pool.query(`select bqx.feature_vector_json('eurusd', $1)::text as v`, [at])).rows[0].v as string;
  const stats = () => server.cacheStats()!;
  /** The notification of the last commit has been applied (invalidations counted since n0). */
  const notified = (n0: number) => waitFor('the bqx_vectors notification', () => stats().invalidations > n0);

  beforeAll(async () => {
    csv = tmpPath('serve-cache-eur.csv');
    await synthToFile(csv, { seed: 21, from: FROM, to: TO, pairs: ['eurusd'] });
    await ingestSource(t.pool, openSource(csv));
    await t.pool.query(`delete from bqx.m1 where pair = 'eurusd' and ts_utc >= $1 and ts_utc < $2`, GAP);
    const res = await runPairs(t.pool, ['eurusd'], rangePlan(FAMILIES, FROM, TO), { concurrency: 1, trigger: 'backfill' });
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
    await waitFor('the cache to subscribe', () => stats().enabled);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await t.pool.query(`drop role if exists ${login}`).catch(() => {});
  });

  it("runs its listener as the reader, and serves the database's bytes from the cache for any instant of the minute", async () => {
    expect(server.role).toMatchObject({ role: 'bqx_reader', login, canWrite: false });
    const listener = (
      await t.pool.query(
        `select usename, backend_type from pg_stat_activity where application_name = 'bqx-serve-listen' and datname = current_database()`,
      )
    ).rows;
    expect(listener).toEqual([{ usename: login, backend_type: 'client backend' }]);
    const at = '2024-07-02T12:15:00Z';
    const s0 = stats();
    const first = await http(server, `/v1/features/eurusd?at=${at}`);
    expect(first).toEqual({ status: 200, text: await dbText(at) });
    expect((JSON.parse(first.text) as Vector).ts_utc).toBe('2024-07-02T11:59:00Z');
    for (const other of [at, '2024-07-02T12:15:42.123Z', '2024-07-02T12:15:59.999Z']) {
      expect(await http(server, `/v1/features/eurusd?at=${other}`)).toEqual({ status: 200, text: await dbText(other) });
    }
    expect([stats().misses - s0.misses, stats().hits - s0.hits]).toEqual([1, 3]);
    // the all-pairs route is built from the same pieces
    const many = await http(server, `/v1/features?pairs=eurusd,usdjpy&at=${at}`);
    expect(many.text).toBe(`{"at":"2024-07-02T12:15:00.000Z","vectors":[${await dbText(at)}],"missing":["usdjpy"]}`);
    // a pair without a bar then: 404 whether cached or not
    for (let i = 0; i < 2; i++) expect((await http(server, '/v1/features/eurusd?at=2024-06-30T00:00:00Z')).status).toBe(404);
  });

  it('serves a late bar on the next request once it is ingested, and its features once refreshed', async () => {
    const at = '2024-07-02T12:15:00Z';
    await http(server, `/v1/features/eurusd?at=${at}`); // cached: the bar before the gap
    let n0 = stats().invalidations;
    const ing = await ingestSource(t.pool, openSource(csv)); // the same file: only the gap's 30 bars are new
    expect(ing.inserted).toBe(30);
    await notified(n0);
    const late = await http(server, `/v1/features/eurusd?at=${at}`);
    expect(late).toEqual({ status: 200, text: await dbText(at) });
    const v = JSON.parse(late.text) as Vector;
    expect(v.ts_utc).toBe('2024-07-02T12:14:00Z');
    expect(v.features.w15_bqx_return).toBeNull(); // not computed yet: what the database holds
    n0 = stats().invalidations;
    const res = await runPairs(t.pool, ['eurusd'], rangePlan(FAMILIES, Date.parse(GAP[0]), Date.parse(GAP[1])), {
      concurrency: 1,
      trigger: 'backfill',
    });
    expect(res.every((u) => u.status === 'ok')).toBe(true);
    await notified(n0);
    const refreshed = await http(server, `/v1/features/eurusd?at=${at}`);
    expect(refreshed).toEqual({ status: 200, text: await dbText(at) });
    expect((JSON.parse(refreshed.text) as Vector).features.w15_bqx_return).not.toBeNull();
  });

  it('serves the newest vector (no at) as the database has it after an edit and a new bar', async () => {
    const newest = async () => {
      const a = Date.now();
      const r = await http(server, '/v1/features/eurusd');
      return { r, v: JSON.parse(r.text) as Vector, ref: JSON.parse(await dbText(new Date(a))) as Vector };
    };
    const before = await newest();
    expect(before.v.ts_utc).toBe('2024-07-03T23:59:00Z');
    expect({ ...before.v, age_seconds: 0 }).toEqual({ ...before.ref, age_seconds: 0 });
    let n0 = stats().invalidations;
    await t.pool.query(`update bqx.m1 set volume = volume + 1 where pair = 'eurusd' and ts_utc = '2024-07-03T23:59:00Z'`);
    await notified(n0);
    const edited = await newest();
    expect(edited.v.features.volume).toBe(before.v.features.volume! + 1);
    expect({ ...edited.v, age_seconds: 0 }).toEqual({ ...edited.ref, age_seconds: 0 });
    n0 = stats().invalidations;
    await t.pool.query(`insert into bqx.m1 select pair, ts_utc + interval '1 minute', open, high, low, close, bid_open, bid_high, bid_low, bid_close,
      ask_open, ask_high, ask_low, ask_close, volume, rate_index, open_index, high_index, low_index from bqx.m1 where pair = 'eurusd' and ts_utc = '2024-07-03T23:59:00Z'`);
    await notified(n0);
    const next = await newest();
    expect(next.v.ts_utc).toBe('2024-07-04T00:00:00Z');
    expect({ ...next.v, age_seconds: 0 }).toEqual({ ...next.ref, age_seconds: 0 });
  });

  it('stops caching while its listening connection is lost, and resumes once it is back', async () => {
    const at = '2024-07-03T10:00:30Z';
    await http(server, `/v1/features/eurusd?at=${at}`);
    expect(stats().entries).toBeGreaterThan(0);
    await t.pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'bqx-serve-listen' and datname = current_database()`,
    );
    await waitFor('the cache to turn off', () => !stats().enabled);
    expect(stats().entries).toBe(0);
    const s0 = stats();
    expect(await http(server, `/v1/features/eurusd?at=${at}`)).toEqual({ status: 200, text: await dbText(at) });
    expect(stats().stored).toBe(s0.stored); // served, not stored
    await waitFor('the listener to reconnect', () => stats().enabled);
    await http(server, `/v1/features/eurusd?at=${at}`);
    expect(await http(server, `/v1/features/eurusd?at=${at}`)).toEqual({ status: 200, text: await dbText(at) });
    expect(stats().stored).toBe(s0.stored + 1);
  });

  it('serves a write that bypasses the notifying paths for at most the maximum age', async () => {
    const short = await startServe({
      url: readerUrl,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      insecure: false,
      allowWriter: false,
      role: 'bqx_reader',
      connections: 1,
      cacheMaxAgeSeconds: 1,
    });
    try {
      await waitFor('the cache to subscribe', () => short.cacheStats()!.enabled);
      const at = '2024-07-03T10:00:30Z';
      const old = await http(short, `/v1/features/eurusd?at=${at}`);
      expect(old.text).toBe(await dbText(at));
      // a hand edit of a family table: no trigger, no notification
      await t.pool.query(`update bqx.statistics_rate set mean_20 = mean_20 + 1 where pair = 'eurusd' and ts_utc = '2024-07-03T09:59:00Z'`);
      const t0 = Date.now();
      const stale = await http(short, `/v1/features/eurusd?at=${at}`);
      if (Date.now() - t0 < 900) expect(stale.text).toBe(old.text);
      await new Promise((r) => setTimeout(r, 1100));
      const fresh = await http(short, `/v1/features/eurusd?at=${at}`);
      expect(fresh.text).toBe(await dbText(at));
      expect((JSON.parse(fresh.text) as Vector).features.rate_mean_20).toBe((JSON.parse(old.text) as Vector).features.rate_mean_20! + 1);
    } finally {
      await short.stop();
    }
  });

  it('serves a month of a family detached by partition maintenance as the database then answers', async () => {
    const at = '2024-07-03T10:00:30Z';
    const before = JSON.parse((await http(server, `/v1/features/eurusd?at=${at}`)).text) as Vector;
    expect(before.features.rate_mean_20).not.toBeNull();
    const n0 = stats().invalidations;
    await t.pool.query(`select bqx.detach_partition('statistics_rate', 'eurusd', '2024-07-01')`);
    await notified(n0);
    const after = await http(server, `/v1/features/eurusd?at=${at}`);
    expect(after).toEqual({ status: 200, text: await dbText(at) });
    expect((JSON.parse(after.text) as Vector).features.rate_mean_20).toBeNull();
  });
});
