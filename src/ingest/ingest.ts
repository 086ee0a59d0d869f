/**
 * Ingest: rows from any source -> validation -> COPY into a temp staging table -> conflict checks ->
 * partitions, baselines and the move into the pair's table bqx.m1_<pair> (recorded as bqx.m1's triggers
 * record an insert: targetTable), all in one transaction; a fresh range skips staging (the fast path).
 *
 * Guarantees: a failed ingest leaves the database as it was (one transaction; nothing is written before
 * every check passed). Re-ingesting the same rows changes nothing. A bar that conflicts with a stored
 * one is reported, never overwritten. Bad rows never vanish: without --reject-file the ingest fails
 * naming source, line and reason; with it, they are written there (line, reason, raw) and the rest loads.
 */

import { once } from 'node:events';
import fs from 'node:fs';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BqxError, fromPgError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { BufferedRows, copyValues } from './BufferedRows.ts';
import type { Bar, SourceRow } from './bar.ts';
import { checkRejectFile } from './checkRejectFile.ts';
import type { Source } from './openSource.ts';
import { PartitionBudget, type PartitionSnapshot } from './PartitionBudget.ts';
import { REPEAT_WINDOW, SeenKeys } from './SeenKeys.ts';
import { type PriceBand, priceBand, type ValidateOptions, validateBar } from './validateBar.ts';

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
  /**
   * 'direct': the file's range met no stored bar, and its rows went straight into bqx.m1 with one COPY
   * (the fast path); 'staged': through staging, the conflict checks and the move.
   */
  path: 'direct' | 'staged';
}

export interface IngestOptions {
  rejectFile?: string;
  onProgress?: (rowsRead: number) => void;
  /** Bars per pair the streaming duplicate check holds (default REPEAT_WINDOW; small in tests). */
  repeatWindow?: number;
  /** Bars the fast path holds in memory before staging them instead (default FAST_PATH_ROWS; small in tests). */
  fastPathRows?: number;
  /**
   * Where both paths write a pair's bars: 'pair' (the default), into the pair's own table bqx.m1_<pair>,
   * recording what bqx.m1's statement triggers would (bqx.m1_inserted, record_inserted.sql); 'm1', into
   * bqx.m1, whose triggers record them (the way before: the fast path's COPY then inserts row by row;
   * kept for the bench and for the tests that compare the two).
   */
  into?: 'pair' | 'm1';
}

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);
const COPY_COLUMNS =
  'line, pair, ts_utc, open, high, low, close, bid_open, bid_high, bid_low, bid_close, ask_open, ask_high, ask_low, ask_close, volume';
const SHOWN_REJECTS = 20;

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeRejectFile(file: string, rejects: Reject[]): void {
  const body = ['line,reason,raw', ...rejects.map((r) => `${r.line},${csvCell(r.reason)},${csvCell(r.raw ?? '')}`)].join('\n');
  fs.writeFileSync(file, body + '\n');
}

function rejectError(code: 'BQX_INGEST_INVALID' | 'BQX_INGEST_CONFLICT', source: Source, rejects: Reject[]): BqxError {
  const shown = rejects
    .slice(0, SHOWN_REJECTS)
    .map((r) => `  ${source.label}:${source.rowNoun === 'candle' ? 'candle ' : ''}${r.line}: ${r.reason}`);
  const more = rejects.length > SHOWN_REJECTS ? `\n  ... and ${rejects.length - SHOWN_REJECTS} more` : '';
  const what = code === 'BQX_INGEST_CONFLICT' ? 'conflicting' : 'invalid';
  return new BqxError(code, `${source.label}: ${rejects.length} ${what} row(s); nothing was loaded\n${shown.join('\n')}${more}`, {
    hint: 'fix the rows, or pass --reject-file FILE to load the valid rows and write the others to FILE',
    details: { source: source.label, rejects: rejects.slice(0, 1000) },
  });
}

interface Limits {
  validate: ValidateOptions;
  maxPartitions: number;
  lockTimeout: string;
  /** The catalog snapshot the early partition check counts against, taken before staging opens. */
  partitions: PartitionSnapshot;
}

async function readLimits(client: pg.ClientBase): Promise<Limits> {
  const r = (
    await client.query<{
      latest_ms: number;
      earliest_ms: number;
      price_ratio: number;
      max_partitions: number;
      lock_timeout: string;
      premake_months: number;
      m1_partitions: string[];
      base_closes: Record<string, number>;
    }>(sql('limits'))
  ).rows[0];
  const bands = new Map<string, PriceBand>();
  for (const [pair, close] of Object.entries(r.base_closes)) bands.set(pair, priceBand(pair, close, r.price_ratio));
  return {
    validate: { latestTs: r.latest_ms, earliestTs: r.earliest_ms, bands },
    maxPartitions: r.max_partitions,
    lockTimeout: r.lock_timeout,
    partitions: r,
  };
}

/** A rejected bar without its source line, for the reject file: its fields, copyText as the text it stands for. */
const barJson = (b: Bar) => JSON.stringify({ ...b, copyText: b.copyText?.() });

const duplicateReason = (pair: string, ts: number, first: number) =>
  `duplicate bar for ${pair} ${new Date(ts).toISOString().slice(0, 16)}Z with other values than line ${first}`;

/** Bars an ingest holds in memory for the fast path before it stages them instead (about 120 MB). */
export const FAST_PATH_ROWS = 1 << 20;

/** A COPY into staging, fed in chunks; opened when the first row must go there. */
class StagingCopy {
  private readonly stream;
  // The server's answer to an aborted COPY arrives as an 'error' event: keep it from going unhandled.
  private copyError: Error | null = null;

  constructor(client: pg.ClientBase) {
    // A deep write buffer lets parsing run ahead while the server consumes the COPY; with the 16 KB
    // default every chunk waited for the socket and the two sides took turns instead of overlapping.
    this.stream = client.query(copyFrom(`copy pg_temp.bqx_staging (${COPY_COLUMNS}) from stdin`, { highWaterMark: 16 << 20 }));
    this.stream.on('error', (e: Error) => {
      this.copyError = e;
    });
  }

  // Once the server has ended the COPY (statement_timeout, a terminated session), the stream is dead:
  // writing to it, or destroying it, would dereference its dropped connection (a TypeError, not our error).
  async write(chunk: string): Promise<void> {
    if (this.copyError) throw this.copyError;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    if (this.copyError) throw this.copyError;
    this.stream.end();
    await once(this.stream, 'finish');
  }

  /** After a failure: abort the COPY; the server's own error, when it has one, is the one to show. */
  async abort(err: unknown): Promise<unknown> {
    if (!this.copyError && !this.stream.destroyed) {
      this.stream.destroy();
      await once(this.stream, 'close').catch(() => {});
    }
    return this.copyError && !(err instanceof BqxError) ? this.copyError : err;
  }
}

/** Stages the buffered rows (the normal path after all); empties the buffer. */
async function stageBuffered(client: pg.ClientBase, buffer: BufferedRows): Promise<void> {
  const copy = new StagingCopy(client);
  try {
    for (const chunk of buffer.stagingText()) await copy.write(chunk);
    await copy.end();
  } catch (err) {
    throw await copy.abort(err);
  }
  buffer.clear();
}

/**
 * Streams the source, validating each row; the valid rows go into `buffer` (the fast path's candidates)
 * until it is full, then all of them into staging. Returns rows read, the rejects found on the way, and
 * the buffer when every valid row is still in it (null once they are in staging).
 */
async function stageRows(client: pg.ClientBase, source: Source, opts: IngestOptions, collectAll: boolean, all: Limits) {
  const limits = all.validate;
  const budget = new PartitionBudget(all.partitions, all.maxPartitions);
  let buffer: BufferedRows | null = new BufferedRows(opts.fastPathRows ?? FAST_PATH_ROWS);
  let copy: StagingCopy | null = null;
  const seen = new SeenKeys(opts.repeatWindow ?? REPEAT_WINDOW);
  const rejects: Reject[] = [];
  let rowsRead = 0;
  let staged = 0;
  let repeats = 0;
  let chunk = '';
  try {
    for await (const batch of source.rows) {
      for (const row of batch) {
        rowsRead++;
        if (opts.onProgress && rowsRead % 50_000 === 0) opts.onProgress(rowsRead);
        const reason = row.error ?? validateBar(row.bar, limits);
        if (reason !== null) {
          rejects.push({ line: row.line, reason, raw: row.raw ?? (row.bar ? barJson(row.bar) : undefined) });
          continue;
        }
        const dup = seen.check(row.bar!, row.line);
        if (dup === 'same') {
          repeats++;
          continue;
        }
        if (dup !== null) {
          rejects.push({
            line: row.line,
            reason: duplicateReason(row.bar!.pair, row.bar!.ts, dup),
            raw: row.raw ?? barJson(row.bar!),
          });
          continue;
        }
        // Without a reject file one bad row fails the ingest: stop feeding COPY, keep counting rejects.
        if (rejects.length > 0 && !collectAll) continue;
        if (budget.observe(row.bar!.pair, row.bar!.ts)) throw tooManyPartitions(source, budget.pairs(), budget.count, budget.cap, row.line);
        staged++;
        if (buffer && !buffer.full) {
          buffer.push(row.line, row.bar!);
          continue;
        }
        if (buffer) {
          // past the fast path's memory: stage what it holds, then every row as it comes
          copy = new StagingCopy(client);
          for (const c of buffer.stagingText()) await copy.write(c);
          buffer = null;
        }
        chunk += `${row.line}\t${row.bar!.copyText?.() ?? copyValues(row.bar!)}\n`;
        if (chunk.length > 1 << 16) {
          await copy!.write(chunk);
          chunk = '';
        }
      }
    }
    if (copy) {
      if (chunk) await copy.write(chunk);
      await copy.end();
    }
  } catch (err) {
    // A source that fails mid-way (truncated JSON, unreadable file) aborts the COPY; the transaction
    // rolls back, and the source's own error is the one worth showing.
    throw copy ? await copy.abort(err) : err;
  }
  opts.onProgress?.(rowsRead);
  if (seen.late > 0) {
    // repeats further apart than the window: settled from the staged rows, as the streaming check would
    if (buffer) {
      await stageBuffered(client, buffer);
      buffer = null;
    }
    const found = (
      await client.query<{ line: number; pair: string; ts_utc: Date; first_line: number; same: boolean; raw: string }>(
        sql('staged_repeats'),
      )
    ).rows;
    if (found.length) await client.query(sql('delete_lines'), [found.map((r) => r.line)]);
    staged -= found.length;
    for (const r of found) {
      if (r.same) repeats++;
      else rejects.push({ line: r.line, reason: duplicateReason(r.pair, r.ts_utc.getTime(), r.first_line), raw: r.raw });
    }
    rejects.sort((a, b) => a.line - b.line);
  }
  return { rowsRead, staged, repeats, rejects, buffer };
}

/**
 * The ingest's transaction on its own client: the client gets an 'error' listener for as long as it is
 * checked out (pg emits 'error' on a client whose connection dies, and with no listener Node kills the
 * process with "Unhandled 'error' event"), and a broken client is released as broken, not reused.
 */
async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch((err) => {
    throw dbError(err, null);
  });
  let lost: Error | null = null;
  const onError = (err: Error) => {
    lost ??= err;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    const out = await fn(client);
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw dbError(err, lost);
  } finally {
    client.off('error', onError);
    client.release(lost ?? undefined);
  }
}

const CONNECTION_LOST = /Connection terminated|ECONNRESET|EPIPE|ended unexpectedly|not queryable|closed|terminating connection/i;

/** Every failure of the database side of an ingest as a typed error: BQX_DB (exit 6) unless ours already. */
function dbError(err: unknown, lost: Error | null): unknown {
  if (err instanceof BqxError) return err;
  const e = err as Error & { code?: string };
  if (e?.code === '57014') {
    return new BqxError('BQX_DB', `the server cancelled the ingest: ${e.message}; nothing was loaded`, {
      hint: 'a statement_timeout (or a cancel) stopped it: raise statement_timeout for this role or database (or split the file), then run the ingest again',
      details: { sqlstate: e.code },
      cause: err,
    });
  }
  if (
    lost ||
    e?.code === '57P01' ||
    e?.code === '57P02' ||
    e?.code === '57P03' ||
    (e instanceof Error && CONNECTION_LOST.test(e.message) && !/^[0-9A-Z]{5}$/.test(e.code ?? ''))
  ) {
    return new BqxError(
      'BQX_DB',
      `lost the connection to the database during the ingest: ${(lost ?? e)?.message ?? String(err)}; the transaction rolled back, nothing was loaded`,
      {
        hint: 'check that the server is up (was the session terminated or the server restarted?), then run the ingest again: a re-run is idempotent',
        cause: err,
      },
    );
  }
  return fromPgError(err);
}

interface Holder {
  pair: string;
  pid: number;
  application_name: string;
  usename: string;
  state: string;
  xact_start: Date | null;
  locktype: string;
  mode: string;
  query: string;
}

/** BQX_LOCKED (exit 7) for an ingest that gave up waiting, naming the sessions that hold its pairs. */
async function lockedError(pool: pg.Pool, source: Source, pairs: string[], timeout: string, cause: unknown): Promise<BqxError> {
  const holders: Holder[] = pairs.length
    ? (await pool.query<Holder>(sql('lock_holders'), [pairs]).catch(() => ({ rows: [] as Holder[] }))).rows
    : [];
  const who = holders.map(
    (h) =>
      `  ${h.pair}: pid ${h.pid} (application_name ${JSON.stringify(h.application_name)}, user ${h.usename}, ${h.state}` +
      `${h.xact_start ? `, in a transaction since ${new Date(h.xact_start).toISOString()}` : ''}; ${h.locktype} ${h.mode}): ${h.query}`,
  );
  return new BqxError(
    'BQX_LOCKED',
    `${source.label}: waited ${timeout} for a lock on ${pairs.join(', ') || 'its pairs'} and gave up; nothing was loaded\n` +
      (who.length ? `held by:\n${who.join('\n')}` : '  (the holder has let go since; run the ingest again)'),
    {
      hint: `wait for that session to finish (or end it: select pg_terminate_backend(${holders[0]?.pid ?? 'PID'})), or raise bqx.settings.ingest_lock_timeout; then run the ingest again`,
      details: { holders },
      cause,
    },
  );
}

export async function ingestSource(pool: pg.Pool, source: Source, opts: IngestOptions = {}): Promise<IngestReport> {
  const t0 = performance.now();
  const collectAll = opts.rejectFile !== undefined;
  if (opts.rejectFile !== undefined && source.file !== undefined) checkRejectFile(source.file, opts.rejectFile);
  let pairNames: string[] = [];
  let lockTimeout = '';
  try {
    return await inTransaction(pool, async (client) => {
      const limits = await readLimits(client);
      lockTimeout = limits.lockTimeout;
      await client.query(sql('set_lock_timeout'), [limits.lockTimeout]);
      await client.query(sql('create_staging'));
      const { rowsRead, staged, repeats, rejects, buffer } = await stageRows(client, source, opts, collectAll, limits);
      const tStaged = performance.now();
      if (rejects.length > 0 && !collectAll) {
        const allDuplicates = rejects.every((r) => r.reason.startsWith('duplicate bar'));
        throw rejectError(allDuplicates ? 'BQX_INGEST_CONFLICT' : 'BQX_INGEST_INVALID', source, rejects);
      }
      if (rowsRead === 0 && source.stats.incomplete === 0) {
        throw new BqxError('BQX_INGEST_EMPTY', `${source.label} holds no bars`, { hint: 'check the export or download that produced it' });
      }

      const pairs: PairSummary[] = buffer
        ? buffer.summary()
        : (await client.query<{ pair: string; rows: number; first_ts: Date; last_ts: Date }>(sql('staged_summary'))).rows.map((r) => ({
            pair: r.pair,
            rows: r.rows,
            firstTs: r.first_ts.toISOString(),
            lastTs: r.last_ts.toISOString(),
          }));
      pairNames = pairs.map((p) => p.pair);
      // The pairs' locks before anything reads bqx.m1, in sorted order (staged_summary sorts): the conflict
      // check and the insert then run under the same lock, so two ingests of a pair serialise and the
      // second sees the first's bars. Every statement below names one pair, so it locks only that pair's
      // tables, and ingests of different pairs never wait on each other.
      for (const p of pairs) await client.query(sql('pair_lock'), [p.pair]);

      // Under those locks: which pairs' ranges meet a stored bar. None (a fresh range): nothing can
      // conflict, no stored bar can equal a staged one, and no other ingest can add one before commit,
      // so the buffered rows may go straight into bqx.m1 (the fast path). Any: the buffered rows are
      // staged and the file takes the normal path, whose checks find the same answer.
      const overlapping = new Set<string>();
      for (const p of pairs) {
        if ((await client.query<{ overlap: boolean }>(sql('stored_overlap'), [p.pair, p.firstTs, p.lastTs])).rows[0].overlap)
          overlapping.add(p.pair);
      }
      const direct = buffer !== null && overlapping.size === 0;
      if (buffer && !direct) await stageBuffered(client, buffer);

      const conflicts: Reject[] = [];
      for (const p of pairs) {
        if (!overlapping.has(p.pair)) continue;
        for (const r of (await client.query<{ line: number; pair: string; ts_utc: Date; reason: string }>(sql('conflicts'), [p.pair])).rows)
          conflicts.push({ line: r.line, reason: r.reason });
      }
      conflicts.sort((a, b) => a.line - b.line);
      if (conflicts.length > 0) {
        if (!collectAll) throw rejectError('BQX_INGEST_CONFLICT', source, conflicts);
        await client.query(sql('delete_lines'), [conflicts.map((c) => c.line)]);
        rejects.push(...conflicts);
      }
      const tChecked = performance.now();

      const into = opts.into ?? 'pair';
      let partitionsCreated = 0;
      const baselinesEstablished: string[] = [];
      let inserted = 0;
      if (pairs.length > 0) {
        const needed = (
          await client.query<{ needed: number }>(sql('partitions_needed'), [
            pairNames,
            pairs.map((p) => p.firstTs),
            pairs.map((p) => p.lastTs),
          ])
        ).rows[0].needed;
        if (needed > limits.maxPartitions) {
          const spans = pairs.map((p) => ({ pair: p.pair, lo: Date.parse(p.firstTs), hi: Date.parse(p.lastTs) }));
          throw tooManyPartitions(source, spans, needed, limits.maxPartitions);
        }
        const first = new Map<string, Date>();
        for (const p of pairs) {
          partitionsCreated += (await client.query<{ created: number }>(sql('ensure_partitions'), [p.pair, p.firstTs, p.lastTs])).rows[0]
            .created;
          if (await establishBaseline(client, p.pair, direct ? buffer : null)) {
            baselinesEstablished.push(p.pair);
            await client.query(sql('backfill_indices'), [p.pair]);
          }
          const ins = direct ? await copyDirect(client, buffer!, p, into) : await moveStaged(client, p.pair, into);
          inserted += Number(ins.n);
          // bars under a watermark make the families above them recompute from there (the runner's late
          // bars); a baseline found now changed the indices of every earlier bar of its pair
          if (baselinesEstablished.includes(p.pair)) first.set(p.pair, new Date(0));
          else if (ins.first_ts) first.set(p.pair, ins.first_ts);
        }
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
        path: direct ? 'direct' : 'staged',
      };
    });
  } catch (err) {
    const cause = err instanceof BqxError && err.cause ? err.cause : err;
    if ((cause as { code?: string })?.code === '55P03') throw await lockedError(pool, source, pairNames, lockTimeout, err);
    throw err;
  }
}

/**
 * Sets pair's B when it is not known yet and its first bar at or after the base instant is now stored,
 * staged or (the fast path) buffered: the ingest's own candidate, then establish_baseline.sql.
 */
async function establishBaseline(client: pg.ClientBase, pair: string, buffer: BufferedRows | null): Promise<boolean> {
  const pending = (await client.query<{ base_instant: Date }>(sql('pending_baseline'), [pair])).rows[0];
  if (!pending) return false;
  const c = buffer
    ? buffer.firstAtOrAfter(pair, pending.base_instant.getTime())
    : (await client.query<{ ts_utc: Date; close: number }>(sql('staged_first_bar'), [pair, pending.base_instant])).rows.map((r) => ({
        ts: r.ts_utc,
        close: r.close,
      }))[0];
  return ((await client.query(sql('establish_baseline'), [pair, c?.ts ?? null, c?.close ?? null])).rowCount ?? 0) > 0;
}

/**
 * The table both paths write pair's bars into: bqx.m1_<pair> (`into` 'pair'), not bqx.m1. A COPY into a
 * partitioned table with transition-table triggers (bqx.m1's m1_rows_insert, m1_dirty_insert) cannot
 * batch its rows and inserts them one by one, about 2.5x the time of the same COPY into the pair's table,
 * where those statement triggers do not fire; so the ingest records what they would, in the same
 * transaction, through the functions they call (record_inserted.sql). The pair is a validated, known pair.
 */
const targetTable = (pair: string, into: 'pair' | 'm1') => (into === 'pair' ? `bqx.${quoteIdent(`m1_${pair}`)}` : 'bqx.m1');

/** The staged path's move of pair's bars (insert_m1.sql), recorded as bqx.m1's triggers would when not into bqx.m1. */
async function moveStaged(client: pg.ClientBase, pair: string, into: 'pair' | 'm1'): Promise<{ n: number; first_ts: Date | null }> {
  const r = (
    await client.query<{ n: string; months: Date[] | null; rows: string[] | null; first_ts: Date | null; last_ts: Date | null }>(
      sql('insert_m1').replaceAll('{{table}}', targetTable(pair, into)),
      [pair],
    )
  ).rows[0];
  // an insert of no rows: its statement triggers record nothing either
  if (into === 'pair' && Number(r.n) > 0) await client.query(sql('record_inserted'), [pair, r.months, r.rows, r.first_ts, r.last_ts]);
  return { n: Number(r.n), first_ts: r.first_ts };
}

/** The fast path's insert: the pair's buffered bars straight into its table (targetTable), with their indices. */
async function copyDirect(
  client: pg.ClientBase,
  buffer: BufferedRows,
  p: PairSummary,
  into: 'pair' | 'm1',
): Promise<{ n: number; first_ts: Date }> {
  const base = (await client.query<{ base_close: number | null }>(sql('fast_base_close'), [p.pair])).rows[0]?.base_close ?? null;
  const stream = client.query(
    copyFrom(sql('fast_copy_m1').replaceAll('{{table}}', targetTable(p.pair, into)), { highWaterMark: 16 << 20 }),
  );
  let copyError: Error | null = null;
  stream.on('error', (e: Error) => {
    copyError = e;
  });
  try {
    for (const chunk of buffer.m1Copy(p.pair, base)) {
      if (copyError) throw copyError;
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    if (copyError) throw copyError;
    stream.end();
    await once(stream, 'finish');
  } catch (err) {
    if (!copyError && !stream.destroyed) {
      stream.destroy();
      await once(stream, 'close').catch(() => {});
    }
    throw copyError ?? err;
  }
  if (into === 'pair') {
    const { months, rows } = buffer.monthCounts(p.pair);
    await client.query(sql('record_inserted'), [p.pair, months, rows, p.firstTs, p.lastTs]);
  }
  return { n: p.rows, first_ts: new Date(p.firstTs) };
}

/**
 * BQX_BAD_RANGE for a source whose months would make more partitions than one transaction may. `atLine`:
 * the early refusal (PartitionBudget), at the row that broke the cap, with the spans read so far.
 */
function tooManyPartitions(
  source: Source,
  spans: Array<{ pair: string; lo: number; hi: number }>,
  needed: number,
  cap: number,
  atLine?: number,
): BqxError {
  const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
  const span = spans.map((p) => `${p.pair} ${month(p.lo)}..${month(p.hi)}`).join(', ');
  const from = month(Math.min(...spans.map((p) => p.lo)));
  const last = new Date(Math.max(...spans.map((p) => p.hi)));
  const toMonth = month(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1));
  const early = atLine !== undefined;
  const pairs = spans.map((p) => p.pair).join(',');
  return new BqxError(
    'BQX_BAD_RANGE',
    `${source.label} spans too many months for one transaction: it would create ${needed} m1 partitions (limit ${cap}, bqx.settings.max_partitions_per_ingest): ${span}` +
      `${early ? `, by ${source.rowNoun} ${atLine}: reading stopped there, and nothing was loaded` : '; nothing was loaded'}`,
    {
      hint:
        `make the partitions first, which commits per pair: bqx partitions ensure --family m1 --pairs ${pairs} --from ${from} --to ${toMonth}` +
        `${early ? ` with every pair and month of the file (those are the ones read so far; the rest of the file may add more)` : ''}; or split the file by year`,
      details: { needed, limit: cap, ...(early ? { atLine } : {}) },
    },
  );
}

/** Ingests bars produced in-process (the synthetic market) through the same checks as a file. */
export function barsSource(label: string, bars: Iterable<Bar> | AsyncIterable<Bar>): Source {
  async function* rows(): AsyncGenerator<SourceRow[]> {
    let line = 0;
    let batch: SourceRow[] = [];
    for await (const bar of bars as AsyncIterable<Bar>) {
      batch.push({ line: ++line, bar });
      if (batch.length === 4096) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  return { label, format: 'generic', rowNoun: 'line', rows: rows(), stats: { incomplete: 0 } };
}
