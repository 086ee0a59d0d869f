/**
 * Ingest: rows from any source -> validation -> COPY into a temp staging table -> conflict checks ->
 * partitions, baselines and the move into bqx.m1, all in one transaction.
 *
 * Guarantees: a failed ingest leaves the database as it was (one transaction; nothing is written before
 * every check passed). Re-ingesting the same rows changes nothing. A bar that conflicts with a stored
 * one is reported, never overwritten. Bad rows never vanish: without --reject-file the ingest fails
 * naming source, line and reason; with it, they are written there (line, reason, raw) and the rest loads.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { withTransaction } from '../db/tx.ts';
import type { Bar, SourceRow } from './bar.ts';
import type { Source } from './openSource.ts';
import { validateBar } from './validateBar.ts';

export interface Reject {
  line: number;
  reason: string;
  raw?: string;
}

export interface PairSummary {
  pair: string;
  rows: number;
  firstTs: string;
  lastTs: string;
}

export interface IngestReport {
  source: string;
  format: string;
  rowsRead: number;
  staged: number;
  inserted: number;
  unchanged: number;
  rejected: number;
  incomplete: number;
  partitionsCreated: number;
  baselinesEstablished: string[];
  pairs: PairSummary[];
  rejectFile?: string;
  seconds: number;
  /** Seconds per phase: stage (parse + validate + COPY), check, place (partitions, baselines, insert). */
  phases: { stage: number; check: number; place: number };
}

export interface IngestOptions {
  rejectFile?: string;
  onProgress?: (rowsRead: number) => void;
}

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const COPY_COLUMNS =
  'line, pair, ts_utc, open, high, low, close, bid_open, bid_high, bid_low, bid_close, ask_open, ask_high, ask_low, ask_close, volume';
const SHOWN_REJECTS = 20;

const n = (v: number | null | undefined) => (v === null || v === undefined ? '\\N' : String(v));

/** COPY text format. Pairs are validated ([a-z]{6}) and numbers finite before this, so nothing needs escaping. */
function copyValues(b: Bar): string {
  return `${b.pair}\t${new Date(b.ts).toISOString()}\t${b.open}\t${b.high}\t${b.low}\t${b.close}\t${n(b.bid?.open)}\t${n(b.bid?.high)}\t${n(b.bid?.low)}\t${n(b.bid?.close)}\t${n(b.ask?.open)}\t${n(b.ask?.high)}\t${n(b.ask?.low)}\t${n(b.ask?.close)}\t${n(b.volume)}`;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeRejectFile(file: string, rejects: Reject[]): void {
  const body = ['line,reason,raw', ...rejects.map((r) => `${r.line},${csvCell(r.reason)},${csvCell(r.raw ?? '')}`)].join('\n');
  fs.writeFileSync(file, body + '\n');
}

function rejectError(code: 'BQX_INGEST_INVALID' | 'BQX_INGEST_CONFLICT', source: Source, rejects: Reject[]): BqxError {
  const shown = rejects.slice(0, SHOWN_REJECTS).map((r) => `  ${source.label}:${source.rowNoun === 'candle' ? 'candle ' : ''}${r.line}: ${r.reason}`);
  const more = rejects.length > SHOWN_REJECTS ? `\n  ... and ${rejects.length - SHOWN_REJECTS} more` : '';
  const what = code === 'BQX_INGEST_CONFLICT' ? 'conflicting' : 'invalid';
  return new BqxError(code, `${source.label}: ${rejects.length} ${what} row(s); nothing was loaded\n${shown.join('\n')}${more}`, {
    hint: 'fix the rows, or pass --reject-file FILE to load the valid rows and write the others to FILE',
    details: { source: source.label, rejects: rejects.slice(0, 1000) },
  });
}

async function latestAllowedTs(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query(`select (extract(epoch from now() + bqx.setting('max_future')::interval) * 1000)::float8 as ms`);
  return rows[0].ms;
}

/**
 * Remembers every staged key with the line it came from and a hash of its values, so duplicates within a
 * source are settled while streaming: an identical repeat is dropped, a repeat with other values rejected.
 */
class SeenKeys {
  // Per pair, ts -> index into lines/sigs: numeric keys and flat arrays keep this cheap at millions of rows.
  private readonly byPair = new Map<string, Map<number, number>>();
  private readonly lines: number[] = [];
  private readonly sigs: number[] = [];

  /** null: new key; 'same': an identical repeat; otherwise the line of the first, differing bar. */
  check(b: Bar, line: number): null | 'same' | number {
    let seen = this.byPair.get(b.pair);
    if (!seen) this.byPair.set(b.pair, (seen = new Map()));
    const sig = hashValues(b);
    const i = seen.get(b.ts);
    if (i === undefined) {
      seen.set(b.ts, this.lines.length);
      this.lines.push(line);
      this.sigs.push(sig);
      return null;
    }
    return this.sigs[i] === sig ? 'same' : this.lines[i];
  }
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** FNV-1a over the bits of the 13 values (NULL hashed apart from any number): equal values, equal hash. */
function hashValues(b: Bar): number {
  let h = 0x811c9dc5;
  h = mixValue(h, b.open); h = mixValue(h, b.high); h = mixValue(h, b.low); h = mixValue(h, b.close);
  h = mixValue(h, b.bid?.open); h = mixValue(h, b.bid?.high); h = mixValue(h, b.bid?.low); h = mixValue(h, b.bid?.close);
  h = mixValue(h, b.ask?.open); h = mixValue(h, b.ask?.high); h = mixValue(h, b.ask?.low); h = mixValue(h, b.ask?.close);
  return mixValue(h, b.volume) >>> 0;
}

// A module function, not a closure per call: this runs once per value of every row.
function mixValue(h: number, v: number | null | undefined): number {
  if (v === null || v === undefined) return Math.imul(h ^ 0x9e3779b9, 0x01000193);
  scratch[0] = v;
  return Math.imul(Math.imul(h ^ scratchWords[0], 0x01000193) ^ scratchWords[1], 0x01000193);
}

/** Streams valid rows into staging; returns rows read and the rejects found on the way. */
async function stageRows(client: pg.ClientBase, source: Source, opts: IngestOptions, collectAll: boolean) {
  const latestTs = await latestAllowedTs(client);
  // A deep write buffer lets parsing run ahead while the server consumes the COPY; with the 16 KB
  // default every chunk waited for the socket and the two sides took turns instead of overlapping.
  const stream = client.query(copyFrom(`copy pg_temp.bqx_staging (${COPY_COLUMNS}) from stdin`, { highWaterMark: 16 << 20 }));
  // The server's answer to an aborted COPY arrives as an 'error' event: keep it from going unhandled.
  let copyError: Error | null = null;
  stream.on('error', (e: Error) => { copyError = e; });
  const seen = new SeenKeys();
  const rejects: Reject[] = [];
  let rowsRead = 0;
  let staged = 0;
  let repeats = 0;
  let chunk = '';
  const flush = async () => {
    if (!stream.write(chunk)) await once(stream, 'drain');
    chunk = '';
  };
  try {
    for await (const batch of source.rows) {
      for (const row of batch) {
        rowsRead++;
        if (opts.onProgress && rowsRead % 50_000 === 0) opts.onProgress(rowsRead);
        const reason = row.error ?? validateBar(row.bar, { latestTs });
        if (reason !== null) {
          rejects.push({ line: row.line, reason, raw: row.raw ?? (row.bar ? JSON.stringify(row.bar) : undefined) });
          continue;
        }
        const dup = seen.check(row.bar!, row.line);
        if (dup === 'same') { repeats++; continue; }
        if (dup !== null) {
          rejects.push({
            line: row.line,
            reason: `duplicate bar for ${row.bar!.pair} ${new Date(row.bar!.ts).toISOString().slice(0, 16)}Z with other values than line ${dup}`,
            raw: row.raw ?? JSON.stringify(row.bar),
          });
          continue;
        }
        // Without a reject file one bad row fails the ingest: stop feeding COPY, keep counting rejects.
        if (rejects.length > 0 && !collectAll) continue;
        chunk += `${row.line}\t${row.bar!.copyText ?? copyValues(row.bar!)}\n`;
        staged++;
        if (chunk.length > 1 << 16) await flush();
      }
    }
    if (chunk) await flush();
    stream.end();
    await once(stream, 'finish');
  } catch (err) {
    // A source that fails mid-way (truncated JSON, unreadable file) aborts the COPY; the transaction
    // rolls back, and the source's own error is the one worth showing.
    if (!stream.destroyed) stream.destroy();
    await once(stream, 'close').catch(() => {});
    throw copyError && !(err instanceof BqxError) ? copyError : err;
  }
  opts.onProgress?.(rowsRead);
  return { rowsRead, staged, repeats, rejects };
}

export async function ingestSource(pool: pg.Pool, source: Source, opts: IngestOptions = {}): Promise<IngestReport> {
  const t0 = performance.now();
  const collectAll = opts.rejectFile !== undefined;
  return withTransaction(pool, async (client) => {
    await client.query(sql('create_staging'));
    const { rowsRead, staged, repeats, rejects } = await stageRows(client, source, opts, collectAll);
    const tStaged = performance.now();
    if (rejects.length > 0 && !collectAll) {
      const allDuplicates = rejects.every((r) => r.reason.startsWith('duplicate bar'));
      throw rejectError(allDuplicates ? 'BQX_INGEST_CONFLICT' : 'BQX_INGEST_INVALID', source, rejects);
    }
    if (rowsRead === 0 && source.stats.incomplete === 0) {
      throw new BqxError('BQX_INGEST_EMPTY', `${source.label} holds no bars`, { hint: 'check the export or download that produced it' });
    }

    const pairs: PairSummary[] = (await client.query(sql('staged_summary'))).rows.map((r) => ({
      pair: r.pair, rows: r.rows, firstTs: r.first_ts.toISOString(), lastTs: r.last_ts.toISOString(),
    }));
    const overlap = pairs.length > 0 && (await client.query(sql('stored_overlap'), [pairs.map((p) => p.pair), pairs.map((p) => p.firstTs), pairs.map((p) => p.lastTs)])).rows[0].overlap;
    const conflicts: Reject[] = overlap ? (await client.query(sql('conflicts'))).rows.map((r) => ({ line: r.line, reason: r.reason })) : [];
    if (conflicts.length > 0) {
      if (!collectAll) throw rejectError('BQX_INGEST_CONFLICT', source, conflicts);
      await client.query(sql('delete_lines'), [conflicts.map((c) => c.line)]);
      rejects.push(...conflicts);
    }
    const tChecked = performance.now();

    let partitionsCreated = 0;
    let baselinesEstablished: string[] = [];
    let inserted = 0;
    if (pairs.length > 0) {
      for (const r of (await client.query(sql('ensure_partitions'))).rows) partitionsCreated += r.created;
      baselinesEstablished = (await client.query(sql('establish_baselines'))).rows.map((r) => r.pair);
      if (baselinesEstablished.length) await client.query(sql('backfill_indices'), [baselinesEstablished]);
      const ins = (await client.query(sql('insert_m1'))).rows as Array<{ pair: string; n: number; first_ts: Date }>;
      inserted = ins.reduce((a, r) => a + Number(r.n), 0);
      // bars under a watermark make the families above them recompute from there (the runner's late bars);
      // a baseline found now changed the indices of every earlier bar of its pair
      const first = new Map(ins.map((r) => [r.pair, r.first_ts]));
      for (const p of baselinesEstablished) first.set(p, new Date(0));
      if (first.size) await client.query(sql('mark_dirty'), [[...first.keys()], [...first.values()]]);
    }
    if (collectAll && rejects.length > 0) {
      rejects.sort((a, b) => a.line - b.line);
      writeRejectFile(opts.rejectFile!, rejects);
    }
    const stagedKept = staged - conflicts.length;
    return {
      source: source.label,
      format: source.format,
      rowsRead,
      staged: stagedKept,
      inserted,
      unchanged: stagedKept - inserted + repeats,
      rejected: rejects.length,
      incomplete: source.stats.incomplete,
      partitionsCreated,
      baselinesEstablished,
      pairs,
      rejectFile: collectAll && rejects.length > 0 ? opts.rejectFile : undefined,
      seconds: (performance.now() - t0) / 1000,
      phases: { stage: (tStaged - t0) / 1000, check: (tChecked - tStaged) / 1000, place: (performance.now() - tChecked) / 1000 },
    };
  });
}

/** Ingests bars produced in-process (the synthetic market) through the same checks as a file. */
export function barsSource(label: string, bars: Iterable<Bar> | AsyncIterable<Bar>): Source {
  async function* rows(): AsyncGenerator<SourceRow[]> {
    let line = 0;
    let batch: SourceRow[] = [];
    for await (const bar of bars as AsyncIterable<Bar>) {
      batch.push({ line: ++line, bar });
      if (batch.length === 4096) { yield batch; batch = []; }
    }
    if (batch.length) yield batch;
  }
  return { label, format: 'generic', rowNoun: 'line', rows: rows(), stats: { incomplete: 0 } };
}
