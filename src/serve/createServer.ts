/**
 * The HTTP API of `bqx serve` (fastify):
 *   GET /v1/features/{pair}?at=ISO&features=a,b   one vector: bqx.feature_vector_json's document as it is
 *   GET /v1/features?pairs=all|a,b&at=&features=  {at, vectors: [...], missing: [pairs without a bar]}
 *   GET /healthz                                  {status, database} (no token needed)
 *   GET /metrics                                  Prometheus text
 * Vectors come out of PostgreSQL as json text (bqx.feature_vector_json) and go into the response unparsed, so the
 * numbers are PostgreSQL's shortest round-trip float8 text, NULL stays null and timestamps are ISO. With a
 * cache (VectorSource, VectorCache) a vector is fetched once per (pair, minute, features) and written
 * out as its stored UTF-8 pieces with age_seconds rendered for the request's instant; the all-pairs
 * route concatenates the pairs' pieces, never parsing or re-encoding a vector.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { isPair, parsePairList } from '../features/pairs.ts';
import { toHttpError } from './httpError.ts';
import { createMetrics } from './metrics.ts';
import { parseAt, parseFeatureList } from './parseAt.ts';
import type { VectorCache } from './VectorCache.ts';
import { VectorSource } from './VectorSource.ts';

export interface ServerOptions {
  pool: pg.Pool;
  /** Bearer token every route but /healthz requires; null only with --insecure (loopback). */
  token: string | null;
  /** The vector cache (kept valid by listenVectors), or null to query for every request. */
  cache?: VectorCache | null;
}

const COMMA = Buffer.from(',');
const digest = (s: string) => crypto.createHash('sha256').update(s).digest();

function authorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  // compared as digests: equal lengths, constant time
  return m !== null && crypto.timingSafeEqual(digest(m[1].trim()), digest(token));
}

function pairOf(name: string): string {
  if (!isPair(name)) {
    throw new BqxError('BQX_UNKNOWN_PAIR', `unknown pair ${JSON.stringify(name)}`, {
      hint: 'use one of the 28 majors in lower case, e.g. eurusd (GET /v1/features?pairs=all lists every pair)',
    });
  }
  return name;
}

export function createServer(o: ServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: 'idle' });
  const metrics = createMetrics(o.pool, o.cache ?? null);
  const vectors = new VectorSource(o.pool, o.cache ?? null);
  const JSON_TYPE = 'application/json; charset=utf-8';

  app.addHook('onRequest', async (req) => {
    if (o.token === null || req.url === '/healthz') return;
    if (!authorized(req.headers.authorization, o.token)) {
      throw new BqxError('BQX_UNAUTHORIZED', req.headers.authorization ? 'the bearer token is not valid' : 'no bearer token', {
        hint: 'send Authorization: Bearer <token>, the token bqx serve was started with (BQX_SERVE_TOKEN)',
      });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((err, _req, reply) => {
    const e = toHttpError(err);
    if (e.status === 401) reply.header('www-authenticate', 'Bearer');
    reply.code(e.status).send(e.body);
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({
      error: {
        code: 'BQX_NOT_FOUND',
        message: `no route ${req.method} ${req.url.split('?')[0]}`,
        hint: 'routes: GET /v1/features/{pair}, GET /v1/features?pairs=, GET /healthz, GET /metrics',
      },
    });
  });

  app.get<{ Params: { pair: string }; Querystring: { at?: string; features?: string } }>('/v1/features/:pair', async (req, reply) => {
    const pair = pairOf(req.params.pair);
    const at = parseAt(req.query.at);
    const pieces = await vectors.pieces(pair, at, parseFeatureList(req.query.features));
    if (pieces === null) {
      throw new BqxError('BQX_NO_DATA', `${pair} has no bar complete at ${at.toISOString()}`, {
        hint: "a bar stamped T is usable from T + 1 min: ask for a later instant, or ingest the pair's bars",
      });
    }
    reply.type(JSON_TYPE).send(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
  });

  app.get<{ Querystring: { pairs?: string; at?: string; features?: string } }>('/v1/features', async (req, reply) => {
    let pairs: string[];
    try {
      pairs = parsePairList(req.query.pairs ?? 'all');
    } catch (err) {
      if (err instanceof BqxError && err.code === 'BQX_UNKNOWN_PAIR') throw err;
      throw new BqxError('BQX_USAGE', `pairs=${JSON.stringify(req.query.pairs)} is not a pair list`, {
        hint: 'pairs=all or pairs=eurusd,usdjpy',
      });
    }
    const at = parseAt(req.query.at);
    // one query per pair, spread over the pool: each is its own transaction, so it holds one pair's
    // partition locks at a time (bqx.feature_vectors over 28 pairs would hold them all at once)
    const features = parseFeatureList(req.query.features);
    // (cache misses only; hits are no query at all)
    const rows = await Promise.all(pairs.map(async (pair) => ({ pair, pieces: await vectors.pieces(pair, at, features) })));
    const out: Buffer[] = [Buffer.from(`{"at":${JSON.stringify(at.toISOString())},"vectors":[`)];
    const missing: string[] = [];
    for (const r of rows) {
      if (r.pieces === null) {
        missing.push(r.pair);
        continue;
      }
      if (out.length > 1) out.push(COMMA);
      out.push(...r.pieces);
    }
    out.push(Buffer.from(`],"missing":${JSON.stringify(missing)}}`));
    reply.type(JSON_TYPE).send(Buffer.concat(out));
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await o.pool.query('select 1');
      return { status: 'ok', database: 'ok' };
    } catch (err) {
      reply.code(503);
      return { status: 'unavailable', database: String((err as Error).message) };
    }
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}
