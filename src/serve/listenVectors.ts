/**
 * The cache's invalidation feed: one session of its own (the serving role, read-only) that LISTENs on
 * bqx_vectors. Writers notify in the transaction of the write (bqx.refresh_prepare, the bqx.m1 triggers,
 * migrate's functions transaction), so a notification arrives only for a committed write, and every
 * committed write sends one. Payloads: '<pair> <from epoch ms>', '<pair> ' (any bar) or '*' (all pairs).
 * The cache is enabled only while subscribed: before LISTEN succeeds, and from a lost connection until it
 * is back, nothing is cached (notifications sent meanwhile would be missed) and everything is dropped.
 * A server that cannot LISTEN (a hot standby) serves uncached.
 */
import pg from 'pg';
import { readerSessionOptions } from './readerPool.ts';
import type { VectorCache } from './VectorCache.ts';

export const VECTORS_CHANNEL = 'bqx_vectors';

export interface VectorListener {
  /** Resolves true once subscribed, false if this server cannot LISTEN at all. */
  ready: Promise<boolean>;
  stop(): Promise<void>;
}

export function applyNotification(cache: VectorCache, payload: string | undefined): void {
  const m = /^([a-z]{6}) (-?\d*)$/.exec(payload ?? '');
  if (m === null) cache.invalidateAll();
  else cache.invalidate(m[1], m[2] === '' ? null : Number(m[2]));
}

export function listenVectors(o: {
  url: string;
  role: string | null;
  cache: VectorCache;
  retryMs?: number;
  log?: (e: Record<string, unknown>) => void;
}): VectorListener {
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let resolveReady!: (ok: boolean) => void;
  const ready = new Promise<boolean>((r) => {
    resolveReady = r;
  });

  const lost = (c: pg.Client, err: unknown) => {
    if (client !== c) return;
    client = null;
    o.cache.enabled = false;
    o.cache.invalidateAll();
    c.end().catch(() => {});
    if (stopped) return;
    o.log?.({ event: 'cache_listener_lost', error: String((err as Error)?.message ?? err) });
    timer = setTimeout(connect, o.retryMs ?? 1000);
  };
  const connect = async () => {
    timer = null;
    const c = new pg.Client({ connectionString: o.url, application_name: 'bqx-serve-listen', options: readerSessionOptions(o.role) });
    client = c;
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('connection ended')));
    c.on('notification', (n) => {
      if (n.channel === VECTORS_CHANNEL) applyNotification(o.cache, n.payload);
    });
    try {
      await c.connect();
      await c.query(`listen ${VECTORS_CHANNEL}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '25006' || code === '0A000') {
        // read-only server (recovery): no notifications will ever come, so no cache
        stopped = true;
        client = null;
        await c.end().catch(() => {});
        o.log?.({ event: 'cache_off', reason: String((err as Error).message) });
        resolveReady(false);
        return;
      }
      lost(c, err);
      return;
    }
    if (client !== c || stopped) return;
    // entries stored before the subscription might have missed a notification
    o.cache.invalidateAll();
    o.cache.enabled = true;
    resolveReady(true);
  };
  void connect();
  return {
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      o.cache.enabled = false;
      const c = client;
      client = null;
      resolveReady(false);
      if (c) await c.end().catch(() => {});
    },
  };
}
