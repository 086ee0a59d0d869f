/**
 * Parses the bytes of `COPY (select ts_utc, <N float8>) TO STDOUT (FORMAT binary)` into column chunks
 * of at most CHUNK_ROWS rows: the timestamps as int64 Unix microseconds and each float8 column as a
 * Float64Array with a validity bitmap, i.e. exactly DuckDB's in-memory vector layout, so a chunk is
 * handed to a DuckDB appender by memory copies (no row objects, no text parsing, bit-for-bit floats).
 * Tuples may straddle the network buffers: an incomplete tail is carried to the next buffer.
 */
const SIGNATURE = 'PGCOPY\n\xff\r\n\0';
/** Microseconds between the Unix epoch and Postgres's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO32 = 4294967296;
/** DuckDB's standard vector size. */
export const CHUNK_ROWS = 2048;

export interface ColumnChunk {
  rows: number;
  /** int64 Unix microseconds, as DuckDB stores TIMESTAMPTZ (read through `tsWords`). */
  ts: BigInt64Array;
  values: Float64Array[];
  /** One bit per row (1 = not NULL), little-endian 64-bit words as DuckDB's validity masks. */
  validity: Uint8Array[];
}

export class BinaryCopyChunker {
  private readonly chunk: ColumnChunk;
  private readonly tsWords: Int32Array;
  private tail: Buffer | null = null;
  private headerDone = false;
  private finished = false;
  rowsTotal = 0;

  constructor(
    private readonly width: number,
    private readonly label: string,
  ) {
    const ts = new BigInt64Array(CHUNK_ROWS);
    this.tsWords = new Int32Array(ts.buffer);
    this.chunk = {
      rows: 0,
      ts,
      values: Array.from({ length: width }, () => new Float64Array(CHUNK_ROWS)),
      validity: Array.from({ length: width }, () => new Uint8Array(CHUNK_ROWS / 8)),
    };
  }

  /** Feeds one network buffer; calls `emit` for every full chunk (the chunk is reused afterwards). */
  push(data: Buffer, emit: (chunk: ColumnChunk) => void): void {
    const buf = this.tail ? Buffer.concat([this.tail, data]) : data;
    this.tail = null;
    let p = 0;
    if (!this.headerDone) {
      if (buf.length < 19) {
        this.tail = buf;
        return;
      }
      if (buf.toString('latin1', 0, 11) !== SIGNATURE) throw new Error(`${this.label}: not a binary COPY stream`);
      p = 19 + buf.readInt32BE(15);
      this.headerDone = true;
    }
    const c = this.chunk;
    const w = this.width;
    const n = buf.length;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // a row with every value present is 2 + 12 + 12w bytes: when that much is left, no field can run
    // past the buffer and the loop skips its bounds checks (a NULL only makes the row shorter)
    const fullRow = 14 + 12 * w;
    while (p + 2 <= n) {
      const fields = dv.getInt16(p);
      if (fields === -1) {
        this.finished = true;
        p += 2;
        break;
      }
      if (fields !== w + 1) throw new Error(`${this.label}: a row has ${fields} fields, expected ${w + 1}`);
      let q = p + 2;
      if (q + 12 > n) break;
      // the timestamp (never NULL: it is the key)
      if (dv.getInt32(q) !== 8) throw new Error(`${this.label}: ts_utc is NULL or not a timestamptz`);
      const v = dv.getInt32(q + 4) * TWO32 + dv.getUint32(q + 8) + PG_EPOCH_US;
      const hi = Math.floor(v / TWO32);
      const r = c.rows;
      this.tsWords[2 * r] = (v - hi * TWO32) | 0;
      this.tsWords[2 * r + 1] = hi;
      q += 12;
      const byte = r >> 3;
      const bit = 1 << (r & 7);
      const nbit = ~bit;
      let complete = true;
      if (p + fullRow <= n) {
        for (let i = 0; i < w; i++) {
          const len = dv.getInt32(q);
          if (len === 8) {
            c.values[i][r] = dv.getFloat64(q + 4);
            c.validity[i][byte] |= bit;
            q += 12;
          } else if (len === -1) {
            c.validity[i][byte] &= nbit;
            q += 4;
          } else throw new Error(`${this.label}: column ${i + 2} is not float8 (${len} bytes)`);
        }
      } else {
        for (let i = 0; i < w; i++) {
          if (q + 4 > n) {
            complete = false;
            break;
          }
          const len = dv.getInt32(q);
          q += 4;
          if (len === -1) {
            c.validity[i][byte] &= nbit;
            continue;
          }
          if (len !== 8) throw new Error(`${this.label}: column ${i + 2} is not float8 (${len} bytes)`);
          if (q + 8 > n) {
            complete = false;
            break;
          }
          c.values[i][r] = dv.getFloat64(q);
          c.validity[i][byte] |= bit;
          q += 8;
        }
      }
      if (!complete) break; // the row is rewritten in place when the rest arrives
      p = q;
      c.rows++;
      this.rowsTotal++;
      if (c.rows === CHUNK_ROWS) {
        emit(c);
        c.rows = 0;
      }
    }
    if (p < n && !this.finished) this.tail = Buffer.from(buf.subarray(p));
  }

  /** Emits the last, partial chunk; refuses a stream that ended mid-row or without its trailer. */
  end(emit: (chunk: ColumnChunk) => void): void {
    if (this.tail?.length || !this.finished) throw new Error(`${this.label}: the COPY stream ended early`);
    if (this.chunk.rows) {
      emit(this.chunk);
      this.chunk.rows = 0;
    }
  }
}
