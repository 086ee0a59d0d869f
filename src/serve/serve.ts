/**
 * `bqx serve`: checks the token and the host, opens the read-only pool, subscribes the vector cache to
 * bqx_vectors, listens, and on SIGTERM or SIGINT stops accepting, finishes the requests in flight,
 * closes the pool and resolves.
 */
import net from 'node:net';
import { BqxError } from '../db/errors.ts';
import { listenVectors } from './listenVectors.ts';
import { checkReaderPool, makeReaderPool, type RoleCheck } from './readerPool.ts';
import { type CacheStats, VectorCache } from './VectorCache.ts';

export interface ServeOptions {
  url: string;
  host: string;
  port: number;
  token: string | null;
  insecure: boolean;
  allowWriter: boolean;
  role: string | null;
  connections: number;
  /** Seconds a cached vector may be served without a notification (the safety net); 0: no cache. Default 60. */
  cacheMaxAgeSeconds?: number;
  /** Memory for cached vectors, MiB (least recently used dropped first). Default 64. */
  cacheMegabytes?: number;
  log?: (line: Record<string, unknown>) => void;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** The token rule: a token, or --insecure on a loopback address. */
export function checkAuthConfig(o: { host: string; token: string | null; insecure: boolean }): void {
  if (o.insecure && !isLoopback(o.host)) {
    throw new BqxError('BQX_CONFIG', `--insecure may only bind to loopback, not --host ${o.host}`, {
      hint: 'set BQX_SERVE_TOKEN and drop --insecure, or bind to 127.0.0.1',
    });
  }
  if (!o.token && !o.insecure) {
    throw new BqxError('BQX_CONFIG', 'bqx serve needs a bearer token: BQX_SERVE_TOKEN is not set', {
      hint: 'export BQX_SERVE_TOKEN=$(openssl rand -hex 32), or pass --insecure on 127.0.0.1 for local use',
    });
  }
}

export interface RunningServer {
  url: string;
  role: RoleCheck;
  /** The vector cache's counters (null without a cache). */
  cacheStats(): CacheStats | null;
  /** Resolves once the server has shut down (SIGTERM, SIGINT or stop()). */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export async function startServe(o: ServeOptions): Promise<RunningServer> {
  checkAuthConfig(o);
  const pool = makeReaderPool({ url: o.url, role: o.role, max: o.connections });
  let role: RoleCheck;
  try {
    role = await checkReaderPool(pool, { role: o.role, allowWriter: o.allowWriter });
  } catch (err) {
    await pool.end();
    throw err;
  }
  const maxAge = o.cacheMaxAgeSeconds ?? 60;
  const cache = maxAge > 0 ? new VectorCache({ maxAgeMs: maxAge * 1000, maxBytes: (o.cacheMegabytes ?? 64) * 2 ** 20 }) : null;
  const listener = cache === null ? null : listenVectors({ url: o.url, role: o.role, cache, log: o.log });
  // serving starts either way; the cache only once subscribed
  const cacheOn =
    listener === null
      ? false
      : await Promise.race([
          listener.ready,
          new Promise<boolean>((r) => {
            setTimeout(() => r(false), 5000).unref();
          }),
        ]);
  // loaded here, not at the top: every bqx command imports this module through the CLI, and fastify
  // with prom-client is about 0.2 s of a start that only bqx serve needs
  const { createServer } = await import('./createServer.ts');
  const app = createServer({ pool, token: o.insecure ? o.token || null : o.token, cache });
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (err) {
    await listener?.stop();
    await pool.end();
    throw new BqxError('BQX_CONFIG', `cannot listen on ${o.host}:${o.port}: ${(err as Error).message}`, {
      hint: 'choose another --port or --host',
      cause: err,
    });
  }
  const addr = app.server.address() as net.AddressInfo;
  let stopping: Promise<void> | null = null;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  const stop = () => {
    stopping ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await app.close();
      await listener?.stop();
      await pool.end();
      o.log?.({ event: 'stopped' });
      resolveClosed();
    })();
    return stopping;
  };
  const onSignal = (signal: string) => {
    o.log?.({ event: 'signal', signal });
    void stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  o.log?.({
    event: 'listening',
    url,
    role: role.role,
    login: role.login,
    auth: o.token ? 'bearer' : 'none (insecure, loopback)',
    cache: cache === null ? 'off' : cacheOn ? `on (max age ${maxAge} s)` : 'waiting for LISTEN',
  });
  return { url, role, closed, stop, cacheStats: () => cache?.snapshot() ?? null };
}
