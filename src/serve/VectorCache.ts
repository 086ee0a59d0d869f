/**
 * bqx serve's cache of rendered vectors, keyed by (pair, the minute of the instant, the feature list).
 * Bars are stamped on the minute and usable a minute later, so every instant of one minute has the same
 * answer but for age_seconds (vectorDocument.ts renders that per request). An entry is valid until
 *  - a bqx_vectors notification names its pair from a bar at or before the entry's answer window
 *    (sent at commit by every write of bqx.m1 or a family, see bqx.refresh_prepare and the m1
 *    triggers, so the cache is never more stale than the notification's delivery);
 *  - maxAgeMs passes (a safety net for writes that bypass those paths, e.g. a hand edit of a family table);
 *  - the listening connection is lost (everything is dropped, and nothing is cached until it is back).
 * A fetch that began before an invalidation of its pair is not stored (its snapshot may predate the
 * write): the caller takes a token before the fetch and store() compares it.
 */
import type { VectorFragment } from './vectorDocument.ts';

export interface CacheEntry {
  pair: string;
  /** The request minute (epoch ms): the answer is the newest bar at or before minute - 1 min. */
  minute: number;
  /** null: the pair has no bar usable in that minute. */
  fragment: VectorFragment | null;
  bytes: number;
  storedAt: number;
}

export interface CacheStats {
  enabled: boolean;
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  stored: number;
  invalidations: number;
}

export class VectorCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly byPair = new Map<string, Set<string>>();
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private bytes = 0;
  /** Off until the listener has subscribed (and whenever it has lost its connection). */
  enabled = false;
  readonly stats = { hits: 0, misses: 0, stored: 0, invalidations: 0 };

  constructor(readonly o: { maxAgeMs: number; maxBytes: number; now?: () => number }) {}

  private now(): number {
    return this.o.now ? this.o.now() : Date.now();
  }

  static key(pair: string, minute: number, features: string[] | null): string {
    return `${pair}|${minute}|${features === null ? '*' : features.join(',')}`;
  }

  /** The entry for key if valid; counts a hit or a miss. LRU: a hit moves it to the back. */
  get(key: string): CacheEntry | undefined {
    const e = this.enabled ? this.entries.get(key) : undefined;
    if (e !== undefined && this.now() - e.storedAt <= this.o.maxAgeMs) {
      this.entries.delete(key);
      this.entries.set(key, e);
      this.stats.hits++;
      return e;
    }
    if (e !== undefined) this.remove(key);
    this.stats.misses++;
    return undefined;
  }

  /** Taken before a fetch; store() refuses the result if the pair was invalidated since. */
  token(pair: string): string {
    return `${this.epoch}.${this.generations.get(pair) ?? 0}`;
  }

  store(key: string, e: Omit<CacheEntry, 'bytes' | 'storedAt'>, token: string): boolean {
    if (!this.enabled || token !== this.token(e.pair)) return false;
    this.remove(key);
    const bytes = e.fragment === null ? 64 : e.fragment.head.length + e.fragment.tail.length + key.length + 64;
    if (bytes > this.o.maxBytes) return false;
    this.entries.set(key, { ...e, bytes, storedAt: this.now() });
    let keys = this.byPair.get(e.pair);
    if (keys === undefined) {
      keys = new Set();
      this.byPair.set(e.pair, keys);
    }
    keys.add(key);
    this.bytes += bytes;
    this.stats.stored++;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.o.maxBytes) break;
      this.remove(oldest);
    }
    return true;
  }

  /** A write of pair's bars from fromMs on (null: any bar): drops the entries whose answer it may change. */
  invalidate(pair: string, fromMs: number | null): void {
    this.stats.invalidations++;
    this.generations.set(pair, (this.generations.get(pair) ?? 0) + 1);
    for (const key of [...(this.byPair.get(pair) ?? [])]) {
      const e = this.entries.get(key)!;
      // the answer is the newest bar <= minute - 1 min: a write that starts after that cannot change it
      if (fromMs === null || e.minute - 60_000 >= fromMs) this.remove(key);
    }
  }

  invalidateAll(): void {
    this.stats.invalidations++;
    this.epoch++;
    this.entries.clear();
    this.byPair.clear();
    this.bytes = 0;
  }

  snapshot(): CacheStats {
    return { enabled: this.enabled, entries: this.entries.size, bytes: this.bytes, ...this.stats };
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    this.entries.delete(key);
    this.byPair.get(e.pair)?.delete(key);
    this.bytes -= e.bytes;
  }
}
