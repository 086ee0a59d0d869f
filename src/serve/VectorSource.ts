/**
 * Where a route gets a vector: the cache when it holds one, else bqx.feature_vector_json through the
 * pool, stored for the rest of its minute. Concurrent misses of one key share one query, but only while
 * the pair has not been invalidated since that query began (a later request must not get an answer
 * older than its own arrival's notification). Without a cache (cache null) every call queries.
 */
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { VectorCache } from './VectorCache.ts';
import { renderPieces, splitVector, type VectorFragment } from './vectorDocument.ts';

/** A vector's document at one instant: pieces to concatenate (null: no bar usable then). */
export type VectorPieces = Buffer[] | null;

interface Fetched {
  fragment: (VectorFragment & { bytes: Buffer }) | null;
  doc: string | null;
  splittable: boolean;
}

export class VectorSource {
  private readonly inflight = new Map<string, { token: string; promise: Promise<Fetched> }>();
  private readonly sql = loadSql(import.meta.url, './sql/feature_vector.sql');

  constructor(
    private readonly pool: pg.Pool,
    readonly cache: VectorCache | null,
  ) {}

  async pieces(pair: string, at: Date, features: string[] | null): Promise<VectorPieces> {
    const atMs = at.getTime();
    if (this.cache === null) return this.direct(pair, at, features);
    const minute = Math.floor(atMs / 60_000) * 60_000;
    const key = VectorCache.key(pair, minute, features);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit.fragment === null ? null : renderPieces(hit.fragment, atMs);
    const token = this.cache.token(pair);
    let f = this.inflight.get(key);
    if (f === undefined || f.token !== token) {
      const promise = this.fetch(pair, at, features)
        .then((r) => {
          if (r.splittable) this.cache!.store(key, { pair, minute, fragment: r.fragment }, token);
          return r;
        })
        .finally(() => {
          if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
        });
      f = { token, promise };
      this.inflight.set(key, f);
      const r = await promise;
      if (!r.splittable) return r.doc === null ? null : [Buffer.from(r.doc)];
      return r.fragment === null ? null : [r.fragment.bytes]; // fetched for this very instant
    }
    const r = await f.promise;
    if (!r.splittable) return this.direct(pair, at, features); // fetched for another instant
    return r.fragment === null ? null : renderPieces(r.fragment, atMs);
  }

  private async query(pair: string, at: Date, features: string[] | null): Promise<string | null> {
    return (await this.pool.query<{ vector: string | null }>(this.sql, [pair, at, features])).rows[0].vector;
  }

  private async direct(pair: string, at: Date, features: string[] | null): Promise<VectorPieces> {
    const doc = await this.query(pair, at, features);
    return doc === null ? null : [Buffer.from(doc)];
  }

  private async fetch(pair: string, at: Date, features: string[] | null): Promise<Fetched> {
    const doc = await this.query(pair, at, features);
    if (doc === null) return { fragment: null, doc, splittable: true };
    const fragment = splitVector(doc, at.getTime());
    return { fragment, doc, splittable: fragment !== null };
  }
}
