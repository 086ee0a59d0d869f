/**
 * The validated rows of an ingest held in memory for the fast path (ingest.ts): a file whose range meets
 * no stored bar goes straight into bqx.m1 with one COPY instead of staging, conflict checks and a move.
 * Whether it may is known only once the whole file is read (its pairs and range), so the rows wait here,
 * up to `cap` of them (about 120 bytes a bar, in typed arrays); past that the ingest stages them and goes on as before.
 */
import { BinaryCopyBuffer } from '../db/BinaryCopyBuffer.ts';
import type { Bar } from './bar.ts';
import type { PairSummary } from './ingest.ts';

/** Numbers per bar: mid OHLC, bid OHLC, ask OHLC, volume (NaN where NULL: validated numbers are finite). */
const VALUES = 13;

const n = (v: number | null | undefined) => (v === null || v === undefined ? '\\N' : String(v));

/** COPY text of the 15 source columns (pair .. volume), as staging receives them. */
export function copyValues(b: Bar): string {
  return `${b.pair}\t${new Date(b.ts).toISOString()}\t${b.open}\t${b.high}\t${b.low}\t${b.close}\t${n(b.bid?.open)}\t${n(b.bid?.high)}\t${n(b.bid?.low)}\t${n(b.bid?.close)}\t${n(b.ask?.open)}\t${n(b.ask?.high)}\t${n(b.ask?.low)}\t${n(b.ask?.close)}\t${n(b.volume)}`;
}

/** A buffered number as COPY text: NULL for NaN; -0 kept (String(-0) is '0', and the source's '-0' is -0). */
const num = (x: number) => (Number.isNaN(x) ? '\\N' : Object.is(x, -0) ? '-0' : String(x));

export class BufferedRows {
  size = 0;
  private capacity = 1 << 12;
  private readonly pairNames: string[] = [];
  private readonly pairIndex = new Map<string, number>();
  private lines = new Int32Array(this.capacity);
  private pair = new Uint8Array(this.capacity);
  private ts = new Float64Array(this.capacity);
  // the 13 numbers per row (mid OHLC, bid OHLC, ask OHLC, volume; NaN for NULL), for the binary COPY
  private values = new Float64Array(VALUES * this.capacity);

  constructor(readonly cap: number) {}

  get full(): boolean {
    return this.size >= this.cap;
  }

  push(line: number, b: Bar): void {
    if (this.size === this.capacity) this.grow();
    let p = this.pairIndex.get(b.pair);
    if (p === undefined) {
      p = this.pairNames.length;
      this.pairNames.push(b.pair);
      this.pairIndex.set(b.pair, p);
    }
    const i = this.size++;
    this.lines[i] = line;
    this.pair[i] = p;
    this.ts[i] = b.ts;
    const v = this.values;
    const k = VALUES * i;
    v[k] = b.open;
    v[k + 1] = b.high;
    v[k + 2] = b.low;
    v[k + 3] = b.close;
    v[k + 4] = b.bid?.open ?? Number.NaN;
    v[k + 5] = b.bid?.high ?? Number.NaN;
    v[k + 6] = b.bid?.low ?? Number.NaN;
    v[k + 7] = b.bid?.close ?? Number.NaN;
    v[k + 8] = b.ask?.open ?? Number.NaN;
    v[k + 9] = b.ask?.high ?? Number.NaN;
    v[k + 10] = b.ask?.low ?? Number.NaN;
    v[k + 11] = b.ask?.close ?? Number.NaN;
    v[k + 12] = b.volume ?? Number.NaN;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(a: T, k = 1): T => {
      const b = new (a.constructor as new (n: number) => T)(k * this.capacity);
      b.set(a);
      return b;
    };
    this.lines = grown(this.lines);
    this.pair = grown(this.pair);
    this.ts = grown(this.ts);
    this.values = grown(this.values, VALUES);
  }

  /** Per pair, sorted by pair (as staged_summary.sql): rows, first and last bar. */
  summary(): PairSummary[] {
    const rows = new Array<number>(this.pairNames.length).fill(0);
    const lo = new Array<number>(this.pairNames.length).fill(Number.POSITIVE_INFINITY);
    const hi = new Array<number>(this.pairNames.length).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < this.size; i++) {
      const p = this.pair[i];
      rows[p]++;
      if (this.ts[i] < lo[p]) lo[p] = this.ts[i];
      if (this.ts[i] > hi[p]) hi[p] = this.ts[i];
    }
    return this.pairNames
      .map((pair, p) => ({ pair, rows: rows[p], firstTs: new Date(lo[p]).toISOString(), lastTs: new Date(hi[p]).toISOString() }))
      .sort((a, b) => (a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : 0));
  }

  /** The pair's first bar at or after `instant` (ms): its instant and close, or null. */
  firstAtOrAfter(pair: string, instant: number): { ts: Date; close: number } | null {
    const p = this.pairIndex.get(pair);
    let best = -1;
    for (let i = 0; i < this.size; i++) {
      if (this.pair[i] === p && this.ts[i] >= instant && (best < 0 || this.ts[i] < this.ts[best])) best = i;
    }
    return best < 0 ? null : { ts: new Date(this.ts[best]), close: this.values[VALUES * best + 3] };
  }

  /**
   * The pair's bars per UTC month (what bqx.m1_rows_insert counts from its transition table), for the fast
   * path's bqx.m1_inserted: month starts (ISO) in time order, and the bars in each.
   */
  monthCounts(pair: string): { months: string[]; rows: number[] } {
    const p = this.pairIndex.get(pair);
    const counts = new Map<number, number>();
    // the month of the previous bar, kept: a file is mostly in time order, so most bars skip the Date
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let month = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.pair[i] !== p) continue;
      const t = this.ts[i];
      if (t < lo || t >= hi) {
        const d = new Date(t);
        lo = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
        hi = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        month = lo;
      }
      counts.set(month, (counts.get(month) ?? 0) + 1);
    }
    const months = [...counts.keys()].sort((a, b) => a - b);
    return { months: months.map((m) => new Date(m).toISOString()), rows: months.map((m) => counts.get(m)!) };
  }

  /**
   * Chunks of staging's COPY text (line, then the 15 source columns), for the normal path, written from
   * the parsed doubles (shortest round-trip decimal, which PostgreSQL reads back as the same double, as it
   * reads the source's decimal: the binary COPY relies on the same), not from each row's copyText: holding
   * 2^20 such strings, each a tree of the line's cells, made the garbage collector about 40% of parsing.
   */
  *stagingText(chunkChars = 1 << 16): Generator<string> {
    const v = this.values;
    let chunk = '';
    for (let i = 0; i < this.size; i++) {
      const k = VALUES * i;
      chunk +=
        `${this.lines[i]}\t${this.pairNames[this.pair[i]]}\t${new Date(this.ts[i]).toISOString()}\t${num(v[k])}\t${num(v[k + 1])}\t` +
        `${num(v[k + 2])}\t${num(v[k + 3])}\t${num(v[k + 4])}\t${num(v[k + 5])}\t${num(v[k + 6])}\t${num(v[k + 7])}\t` +
        `${num(v[k + 8])}\t${num(v[k + 9])}\t${num(v[k + 10])}\t${num(v[k + 11])}\t${num(v[k + 12])}\n`;
      if (chunk.length > chunkChars) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }

  /**
   * Chunks of bqx.m1's binary COPY (fast_copy_m1.sql) for one pair: the 15 source columns and the four
   * indices 100 * x / B, as insert_m1.sql computes them (the same two IEEE operations in the same order on
   * the same doubles: the source's decimal text parses to the same double here as in PostgreSQL), NULL
   * while B is unknown. Binary: no number is formatted here or parsed there, and each goes bit for bit.
   */
  *m1Copy(pair: string, base: number | null, chunkRows = 1 << 15): Generator<Buffer> {
    const p = this.pairIndex.get(pair);
    const v = this.values;
    const out = new BinaryCopyBuffer(pair, VALUES + 4, chunkRows);
    const row = new Float64Array(VALUES + 4);
    let first = true;
    const take = (last: boolean) => {
      const data = out.finish();
      // one header for the whole COPY, one trailer at its end
      const chunk = Buffer.from(data.subarray(first ? 0 : 19, last ? data.length : data.length - 2));
      first = false;
      out.reset();
      return chunk;
    };
    for (let i = 0; i < this.size; i++) {
      if (this.pair[i] !== p) continue;
      const k = VALUES * i;
      for (let j = 0; j < VALUES; j++) row[j] = v[k + j];
      // rate_index, open_index, high_index, low_index
      row[VALUES] = base === null ? Number.NaN : (100 * v[k + 3]) / base;
      row[VALUES + 1] = base === null ? Number.NaN : (100 * v[k]) / base;
      row[VALUES + 2] = base === null ? Number.NaN : (100 * v[k + 1]) / base;
      row[VALUES + 3] = base === null ? Number.NaN : (100 * v[k + 2]) / base;
      out.push(this.ts[i] * 1000, row);
      if (out.rows === chunkRows) yield take(false);
    }
    yield take(true);
  }

  /** The buffered rows are in staging now (or no longer needed): let their memory go. */
  clear(): void {
    this.size = 0;
  }
}
