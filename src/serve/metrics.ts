/**
 * Prometheus metrics (prom-client, text format at /metrics): requests by route and status, a latency
 * histogram by route, and per pair the staleness of its newest bar (seconds since it completed),
 * read from the database when scraped; with a cache, its hits, misses, invalidations and size.
 */
import type pg from 'pg';
import client from 'prom-client';
import { loadSql } from '../db/loadSql.ts';
import type { VectorCache } from './VectorCache.ts';

export interface ServeMetrics {
  registry: client.Registry;
  requests: client.Counter<'route' | 'status'>;
  latency: client.Histogram<'route'>;
}

export function createMetrics(pool: pg.Pool, cache: VectorCache | null = null): ServeMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'bqx_serve_' });
  const requests = new client.Counter({
    name: 'bqx_serve_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'bqx_serve_request_duration_seconds',
    help: 'request latency by route, from receipt to the last byte handed to the socket',
    labelNames: ['route'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'bqx_serve_staleness_seconds',
    help: "seconds since each pair's newest bar completed (its open instant + 1 min)",
    labelNames: ['pair'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await pool.query<{ pair: string; staleness_seconds: number | null }>(
        loadSql(import.meta.url, './sql/staleness.sql'),
      );
      for (const r of rows) if (r.staleness_seconds !== null) this.set({ pair: r.pair }, r.staleness_seconds);
    },
  });
  if (cache !== null) {
    // read from the cache's own counters when scraped (the hot path only increments integers)
    const counted = (name: string, help: string, read: () => number) =>
      new client.Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    counted('bqx_serve_cache_hits_total', 'vector lookups answered from the cache', () => cache.stats.hits);
    counted('bqx_serve_cache_misses_total', 'vector lookups that queried the database', () => cache.stats.misses);
    counted(
      'bqx_serve_cache_invalidations_total',
      'bqx_vectors notifications applied (and connection losses)',
      () => cache.stats.invalidations,
    );
    counted('bqx_serve_cache_entries', 'vectors held', () => cache.snapshot().entries);
    counted('bqx_serve_cache_bytes', 'bytes of vectors held', () => cache.snapshot().bytes);
    counted('bqx_serve_cache_enabled', '1 while subscribed to bqx_vectors (the cache is in use), else 0', () => (cache.enabled ? 1 : 0));
  }
  return { registry, requests, latency };
}
