import type { Bar } from './bar.ts';

/** Bars per pair whose keys the streaming duplicate check holds (SeenKeys): 16384, 11 days of minutes. */
export const REPEAT_WINDOW = 1 << 14;

/**
 * Settles duplicates within a source while streaming, in memory bounded whatever the source's size: per
 * pair it holds the keys of the last `window` bars staged, with the line each came from and a hash of
 * its values; an identical repeat is dropped, a repeat with other values rejected. A bar at or before a
 * key it has already let go of (a source out of time order by more than the window) may repeat a bar it
 * no longer holds: it only counts those (`late`), and the ingest then settles the staged rows in SQL
 * (staged_repeats.sql) the same two ways. Holding every key instead cost about 100 bytes a bar, a GiB
 * for a year of 28 pairs.
 */
export class SeenKeys {
  private readonly byPair = new Map<string, PairWindow>();
  late = 0;

  constructor(private readonly window: number) {}

  /** null: new key; 'same': an identical repeat; otherwise the line of the first, differing bar. */
  check(b: Bar, line: number): null | 'same' | number {
    let w = this.byPair.get(b.pair);
    if (w === undefined) {
      w = new PairWindow(Math.max(1, this.window));
      this.byPair.set(b.pair, w);
    }
    const sig = hashValues(b);
    const slot = w.find(b.ts);
    if (slot >= 0) return w.sigs[slot] === sig ? 'same' : w.lines[slot];
    if (b.ts <= w.released) this.late++;
    w.insert(b.ts, line, sig);
    return null;
  }
}

/**
 * One pair's window: a ring of the last `size` keys in the order they came, with their lines and hashes.
 * A source in time order (nearly every file) appends rising keys, so the ring is sorted and a lookup is a
 * binary search: no hash map at all. The two Maps (ts -> line, ts -> hash) this replaces took half of an
 * ingest's reading (1.7 s of 3.2 s for a pair-year): two inserts, two deletes, a lookup and an iterator
 * per bar. A key below the newest (out of order) unsorts the ring; the window then keeps a Map of key ->
 * slot until `size` rising keys in a row have pushed the stray one out and the ring is sorted again.
 */
class PairWindow {
  readonly keys: Float64Array;
  readonly lines: Float64Array;
  readonly sigs: Uint32Array;
  private next = 0;
  private count = 0;
  private max = Number.NEGATIVE_INFINITY;
  /** The newest key let go of: a new bar at or before it may repeat one no longer held. */
  released = Number.NEGATIVE_INFINITY;
  private slots: Map<number, number> | null = null;
  /** Rising keys inserted since the last one out of order (while `slots` is kept). */
  private rising = 0;

  constructor(private readonly size: number) {
    this.keys = new Float64Array(size);
    this.lines = new Float64Array(size);
    this.sigs = new Uint32Array(size);
  }

  /** The slot holding key, or -1. */
  find(key: number): number {
    if (key > this.max) return -1;
    if (this.slots) return this.slots.get(key) ?? -1;
    const { keys, size } = this;
    const start = this.count < size ? 0 : this.next;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = (start + mid) % size;
      const v = keys[p];
      if (v === key) return p;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Adds a key not held (find gave -1), letting go of the oldest when the window is full. */
  insert(key: number, line: number, sig: number): void {
    const rising = key > this.max;
    if (!rising && this.slots === null) {
      this.slots = new Map();
      const start = this.count < this.size ? 0 : this.next;
      for (let i = 0; i < this.count; i++) {
        const p = (start + i) % this.size;
        this.slots.set(this.keys[p], p);
      }
    }
    const p = this.next;
    if (this.count === this.size) {
      const oldest = this.keys[p];
      this.slots?.delete(oldest);
      if (oldest > this.released) this.released = oldest;
    } else this.count++;
    this.keys[p] = key;
    this.lines[p] = line;
    this.sigs[p] = sig;
    this.next = p + 1 === this.size ? 0 : p + 1;
    if (rising) this.max = key;
    if (this.slots) {
      this.slots.set(key, p);
      this.rising = rising ? this.rising + 1 : 0;
      // every key held came in rising order since the stray one left: sorted again
      if (this.rising >= this.size) this.slots = null;
    }
  }
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** FNV-1a over the bits of the 13 values (NULL hashed apart from any number): equal values, equal hash. */
function hashValues(b: Bar): number {
  let h = 0x811c9dc5;
  h = mixValue(h, b.open);
  h = mixValue(h, b.high);
  h = mixValue(h, b.low);
  h = mixValue(h, b.close);
  h = mixValue(h, b.bid?.open);
  h = mixValue(h, b.bid?.high);
  h = mixValue(h, b.bid?.low);
  h = mixValue(h, b.bid?.close);
  h = mixValue(h, b.ask?.open);
  h = mixValue(h, b.ask?.high);
  h = mixValue(h, b.ask?.low);
  h = mixValue(h, b.ask?.close);
  return mixValue(h, b.volume) >>> 0;
}

// A module function, not a closure per call: this runs once per value of every row.
function mixValue(h: number, v: number | null | undefined): number {
  if (v === null || v === undefined) return Math.imul(h ^ 0x9e3779b9, 0x01000193);
  scratch[0] = v;
  return Math.imul(Math.imul(h ^ scratchWords[0], 0x01000193) ^ scratchWords[1], 0x01000193);
}
