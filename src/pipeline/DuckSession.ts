/**
 * The pipeline's one DuckDB instance (@duckdb/node-api): in memory (a database file in the scratch
 * directory when BQX_DUCK_FILE is set), with a spill directory in that scratch directory (4 GB memory
 * limit by default), so a dataset larger than memory spills to disk instead of failing; the directory
 * is removed when the session closes.
 * Bulk data goes in through appenders fed whole column chunks (memory copies into DuckDB's vectors)
 * and comes out as typed arrays read from the result vectors: never one JS object per row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
import { loadSql } from '../db/loadSql.ts';
import type { ColumnChunk } from './BinaryCopyChunker.ts';
import { CHUNK_ROWS } from './BinaryCopyChunker.ts';

/** Quotes a DuckDB identifier (column and table names come from the catalog, but quote them anyway). */
export function duckIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB string literal. */
export function duckLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Reads src/pipeline/sql/NAME.sql and fills its `{{key}}` placeholders (identifier lists, literals).
 * Whole-line `--` comments are dropped first: they document the placeholders, which must not be
 * filled there (a multi-line value would end the comment).
 */
export function templateSql(name: string, vars: Record<string, string | number> = {}): string {
  const text = loadSql(import.meta.url, `./sql/${name}.sql`)
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`sql/${name}.sql needs {{${k}}}`);
    return String(vars[k]);
  });
}

// DuckDB is loaded by the first session, not at import: every bqx command imports this module through
// the CLI, and the native module is about 0.3 s of a start that only the dataset commands need.
let duck: typeof import('@duckdb/node-api');
let bindings: typeof import('@duckdb/node-bindings');

async function loadDuck(): Promise<void> {
  duck ??= await import('@duckdb/node-api');
  bindings ??= (await import('@duckdb/node-bindings')).default;
}

export interface Columns {
  rows: number;
  names: string[];
  /** One array per column; NULL reads as NaN. */
  data: Float64Array[];
}

export class DuckSession {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    private readonly dir: string | null,
  ) {}

  static async open(opts: { threads?: number; memoryLimit?: string } = {}): Promise<DuckSession> {
    await loadDuck();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-duck-'));
    const instance = await duck.DuckDBInstance.create(process.env.BQX_DUCK_FILE ? path.join(dir, 'work.duckdb') : ':memory:', {
      threads: String(opts.threads ?? Math.max(1, os.availableParallelism())),
      memory_limit: opts.memoryLimit ?? '4GB',
      temp_directory: path.join(dir, 'spill'),
      preserve_insertion_order: 'true',
    });
    const conn = await instance.connect();
    // instants print and truncate (date_trunc('week'), isodow) in UTC, whatever the machine's zone
    await conn.run(`set TimeZone = 'UTC'`);
    return new DuckSession(instance, conn, dir);
  }

  /** Another connection to the same database (one per concurrent worker; temp tables are its own). */
  async fork(): Promise<DuckSession> {
    const conn = await this.instance.connect();
    await conn.run(`set TimeZone = 'UTC'`);
    return new DuckSession(this.instance, conn, null);
  }

  async version(): Promise<string> {
    const [r] = await this.rows<{ v: string }>('select version() as v');
    return r.v;
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    return (await this.conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
  }

  /** A table `(ts_utc timestamptz, <names> double)` and an appender taking whole column chunks. */
  async createColumnTable(table: string, names: string[]): Promise<ChunkAppender> {
    await this.run(
      `create or replace table ${duckIdent(table)} (ts_utc timestamptz, ${names.map((n) => `${duckIdent(n)} double`).join(', ')})`,
    );
    return new ChunkAppender(await this.conn.createAppender(table), names.length);
  }

  /** Runs a query of DOUBLE (or castable) columns and returns them as Float64Arrays. */
  async readColumns(sql: string): Promise<Columns> {
    const result = await this.conn.stream(sql);
    const names = result.columnNames();
    const parts: Float64Array[][] = names.map(() => []);
    let rows = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      for (let i = 0; i < names.length; i++) {
        const vec = bindings.data_chunk_get_vector(chunk.chunk, i);
        const raw = bindings.vector_get_data(vec, n * 8);
        const out = new Float64Array(n);
        out.set(new Float64Array(raw.buffer, raw.byteOffset, n));
        const validity = bindings.vector_get_validity(vec, Math.ceil(n / 64) * 8);
        if (validity?.length) {
          for (let r = 0; r < n; r++) if ((validity[r >> 3] & (1 << (r & 7))) === 0) out[r] = NaN;
        }
        parts[i].push(out);
      }
      rows += n;
    }
    const data = parts.map((ps) => {
      const out = new Float64Array(rows);
      let o = 0;
      for (const p of ps) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    });
    return { rows, names, data };
  }

  close(): void {
    if (this.dir === null) {
      this.conn.closeSync();
      return;
    }
    try {
      this.conn.closeSync();
      this.instance.closeSync();
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** Appends ColumnChunks (from BinaryCopyChunker) to a `(ts_utc, doubles...)` table by memory copies. */
export class ChunkAppender {
  private readonly chunk: DuckDBDataChunk;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly width: number,
  ) {
    this.chunk = duck.DuckDBDataChunk.create([duck.TIMESTAMPTZ, ...Array.from({ length: width }, () => duck.DOUBLE)], CHUNK_ROWS);
  }

  append(c: ColumnChunk): void {
    const raw = this.chunk.chunk;
    bindings.data_chunk_reset(raw);
    const n = c.rows;
    bindings.copy_data_to_vector(bindings.data_chunk_get_vector(raw, 0), 0, c.ts.buffer as ArrayBuffer, c.ts.byteOffset, n * 8);
    const validityBytes = Math.ceil(n / 64) * 8;
    for (let i = 0; i < this.width; i++) {
      const vec = bindings.data_chunk_get_vector(raw, i + 1);
      const v = c.values[i];
      bindings.copy_data_to_vector(vec, 0, v.buffer as ArrayBuffer, v.byteOffset, n * 8);
      bindings.vector_ensure_validity_writable(vec);
      const m = c.validity[i];
      // bits past the last row of a partial chunk are ignored by DuckDB (the chunk's size bounds them)
      bindings.copy_data_to_vector_validity(vec, 0, m.buffer as ArrayBuffer, m.byteOffset, Math.min(validityBytes, m.length));
    }
    bindings.data_chunk_set_size(raw, n);
    this.appender.appendDataChunk(this.chunk);
  }

  close(): void {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}
