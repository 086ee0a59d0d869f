/**
 * Stage 1: extract. Per pair, the feature columns (its m1 table joined to the chosen families' tables,
 * under the analyst views' column names) and the labels (from bqx.labels_{pair}) stream out of Postgres with binary COPY and into DuckDB tables raw_{pair} and
 * labels_{pair} through appenders fed whole column chunks. The extract starts max(lag) bars before
 * --from, so every lag of a row in range reads real history. A chunked build (buildPair.ts) extracts
 * one chunk of the range at a time: its own bars, the history its lags read, and the bars after it
 * that its labels and purge reach (`extractTo`).
 */
import type pg from 'pg';
import { copyOut } from '../db/copyOut.ts';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent } from '../db/quote.ts';
import { withClient } from '../db/tx.ts';
import { withLiterals } from '../db/withLiterals.ts';
import { BinaryCopyChunker } from './BinaryCopyChunker.ts';
import { type DuckSession, templateSql } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';

export interface PairExtract {
  pair: string;
  /** First extracted bar (max(lag) bars before --from, or the pair's first bar). */
  start: Date;
  /** Bars of the pair's series before `start`: row k of the extract is bar barsBefore + k. */
  barsBefore: number;
  barsInRange: number;
  rows: number;
  labelRows: number;
  bytes: number;
  seconds: number;
}

export const rawTable = (pair: string) => `raw_${pair}`;
export const labelTable = (pair: string) => `labels_${pair}`;

/** The FROM and select lists of one pair's feature extract: its m1 table and the set's families only. */
export function extractFeatureParts(pair: string, featureSet: FeatureSet): { m1: string; joins: string; columns: string } {
  const alias = new Map(featureSet.families.map((f, i) => [f, `f${i}`]));
  const table = (family: string) => `bqx.${quoteIdent(`${family}_${pair}`)}`;
  return {
    m1: table('m1'),
    joins: featureSet.families
      .map((f) => `left join ${table(f)} ${alias.get(f)} on ${alias.get(f)}.pair = m.pair and ${alias.get(f)}.ts_utc = m.ts_utc`)
      .join('\n  '),
    columns: featureSet.base.map((b) => `${alias.get(b.family)}.${quoteIdent(b.column)} as ${quoteIdent(b.name)}`).join(', '),
  };
}

/** COPY one query into a fresh DuckDB table; returns rows and bytes moved. */
async function copyInto(
  client: pg.ClientBase,
  duck: DuckSession,
  copySql: string,
  table: string,
  names: string[],
  label: string,
): Promise<{ rows: number; bytes: number }> {
  const appender = await duck.createColumnTable(table, names);
  const chunker = new BinaryCopyChunker(names.length, label);
  const emit = appender.append.bind(appender);
  let bytes = 0;
  try {
    for await (const buf of copyOut(client, copySql)) {
      bytes += buf.length;
      chunker.push(buf, emit);
    }
    chunker.end(emit);
  } finally {
    appender.close();
  }
  return { rows: chunker.rowsTotal, bytes };
}

export async function extractPair(
  pool: pg.Pool,
  duck: DuckSession,
  pair: string,
  featureSet: FeatureSet,
  from: number,
  to: number,
  /** The extract's end when past `to` (a chunk's); `historyBars` overrides max(lag) (at least 1 for a chunk after the first, so its gap check sees the previous bar). */
  o: { extractTo?: number; historyBars?: number } = {},
): Promise<PairExtract> {
  const t0 = performance.now();
  return withClient(pool, async (c) => {
    const maxLag = o.historyBars ?? Math.max(0, ...featureSet.lags);
    const b = (
      await c.query<{ o_start: Date | null; o_bars_before: number; o_bars_in_range: number }>(
        loadSql(import.meta.url, './sql/pg_extract_bounds.sql'),
        [pair, new Date(from), new Date(to), maxLag],
      )
    ).rows[0];
    const barsInRange = Number(b.o_bars_in_range);
    if (barsInRange === 0) {
      throw new BqxError('BQX_BAD_RANGE', `no bars for ${pair} in [${new Date(from).toISOString()}, ${new Date(to).toISOString()})`, {
        hint: `ingest bars for ${pair} (bqx ingest FILE or bqx synth) or choose --from/--to inside its data (bqx status shows it)`,
      });
    }
    const start = b.o_start as Date;
    const lits = [start.toISOString(), new Date(o.extractTo ?? to).toISOString()];
    const featureSql = withLiterals(c, templateSql('pg_extract_features', extractFeatureParts(pair, featureSet)), lits);
    const f = await copyInto(
      c,
      duck,
      featureSql,
      rawTable(pair),
      featureSet.base.map((x) => x.name),
      `features of ${pair}`,
    );
    const labelSql = withLiterals(
      c,
      templateSql('pg_extract_labels', {
        table: `bqx.${quoteIdent(`labels_${pair}`)}`,
        columns: featureSet.labels.map(quoteIdent).join(', '),
      }),
      lits,
    );
    const l = await copyInto(c, duck, labelSql, labelTable(pair), featureSet.labels, `labels of ${pair}`);
    return {
      pair,
      start,
      barsBefore: Number(b.o_bars_before),
      barsInRange,
      rows: f.rows,
      labelRows: l.rows,
      bytes: f.bytes + l.bytes,
      seconds: (performance.now() - t0) / 1000,
    };
  });
}
