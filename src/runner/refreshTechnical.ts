/**
 * Refresh of technical_rate / technical_bqx for one pair over [from, to): the TypeScript family.
 *
 * One transaction on one connection: bqx.refresh_prepare deletes the range and ensures partitions; a
 * cursor streams the inputs from the warm-up start in batches; TechnicalCalculator computes bar by bar;
 * each batch's rows of the range go back with binary COPY (no float formatting or parsing, every bit
 * kept). Memory stays at one batch whatever the range.
 *
 * Incremental refreshes match a full-history run by warm-up, not by stored state: the recursive smoothers
 * (EMA, Wilder) forget their seed geometrically, and the family's lookbackBars (2000) bring the slowest of them (EMA 50,
 * (49/51)^2000 ~ 1e-35) far below 1e-9 relative. OBV, a running total that never forgets, starts from its
 * exact value before the read start, summed in SQL. test/db/technical.test.ts proves both against a full
 * recompute.
 */
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Range } from '../cli/options.ts';
import { BinaryCopyBuffer } from '../db/BinaryCopyBuffer.ts';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { withTransaction } from '../db/tx.ts';
import { withLiterals } from '../db/withLiterals.ts';
import { family as familyDef } from '../features/catalog/index.ts';
import { type Domain, TechnicalCalculator } from '../features/technical/TechnicalCalculator.ts';
import { recordDefinition } from './recordDefinition.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

const BATCH = 20_000;

export const TECHNICAL_FAMILIES: Record<string, Domain> = { technical_rate: 'rate', technical_bqx: 'bqx' };

/** Where a refresh's time went (seconds): the benchmark reports them. */
export interface TechnicalPhases {
  prepare: number;
  read: number;
  compute: number;
  write: number;
}

export async function refreshTechnical(pool: pg.Pool, fam: string, pair: string, range: Range, phases?: TechnicalPhases): Promise<number> {
  return withTransaction(pool, async (c) => {
    const rows = await refreshTechnicalIn(c, fam, pair, range, phases);
    await recordDefinition(c, fam, pair, range.from, range.to);
    return rows;
  });
}

/** The same inside the caller's transaction (the runner adds its lock, watermark and log to it). */
export async function refreshTechnicalIn(
  c: pg.ClientBase,
  fam: string,
  pair: string,
  range: Range,
  phases?: TechnicalPhases,
): Promise<number> {
  const domain = TECHNICAL_FAMILIES[fam];
  if (!domain)
    throw new BqxError('BQX_USAGE', `${fam} is not a TypeScript family`, { hint: `one of ${Object.keys(TECHNICAL_FAMILIES).join(', ')}` });
  const def = familyDef(fam);
  const cols = def.columns.map((c) => quoteIdent(c.name));
  if (cols.length !== TechnicalCalculator.WIDTH)
    throw new Error(`catalog lists ${cols.length} columns for ${fam}, the calculator ${TechnicalCalculator.WIDTH}`);
  const from = new Date(range.from);
  const ph = phases ?? { prepare: 0, read: 0, compute: 0, write: 0 };
  let t = performance.now();
  const lap = (k: keyof TechnicalPhases) => {
    const n = performance.now();
    ph[k] += (n - t) / 1000;
    t = n;
  };
  const prep = (
    await c.query<{ o_lo: Date | null; o_hi: Date | null; o_start: Date | null }>(sql('technical_prepare'), [
      fam,
      pair,
      from,
      new Date(range.to),
      def.lookbackBars,
    ])
  ).rows[0];
  if (prep.o_lo === null) return 0;
  const start = (
    await c.query<{ obv: number | null; last_close: number | null }>(sql(`technical_obv_start_${domain}`), [pair, prep.o_start])
  ).rows[0];
  const calc = new TechnicalCalculator(domain, { obv: Number(start.obv), lastClose: start.last_close });
  await c.query(
    `declare bqx_tech no scroll cursor for ${withLiterals(c, sql(`technical_inputs_${domain}`), [pair, (prep.o_start as Date).toISOString(), (prep.o_hi as Date).toISOString(), (prep.o_lo as Date).toISOString()])}`,
  );
  const copySql = `copy bqx.${quoteIdent(fam)} (pair, ts_utc, ${cols.join(', ')}) from stdin (format binary)`;
  const out = new BinaryCopyBuffer(pair, cols.length, BATCH);
  const row = new Float64Array(cols.length);
  let written = 0;
  lap('prepare');
  for (;;) {
    const batch = await c.query<[number, boolean, number | null, number | null, number | null, number | null]>({
      text: `fetch forward ${BATCH} from bqx_tech`,
      rowMode: 'array',
    });
    lap('read');
    if (batch.rows.length === 0) break;
    out.reset();
    for (const [us, keep, h, l, cl, v] of batch.rows) {
      const vals = calc.next({ high: h, low: l, close: cl, volume: v });
      if (!keep) continue; // warm-up bars only feed the state
      for (let i = 0; i < vals.length; i++) row[i] = vals[i] ?? NaN;
      out.push(us, row);
    }
    lap('compute');
    if (out.rows) {
      const stream = c.query(copyFrom(copySql));
      stream.end(out.finish());
      await once(stream, 'finish');
      written += out.rows;
    }
    lap('write');
  }
  await c.query('close bqx_tech');
  return written;
}
