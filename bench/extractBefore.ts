/**
 * The extract as it was before issue 20, for the dataset-extract bench's side-by-side: the same
 * bounds, the queries ordered by ts_utc alone (bench/sql/extract_*_before.sql), and the parsed chunks
 * appended to DuckDB tables raw_{pair} and labels_{pair} by an appender flushed after the COPY.
 */
import type pg from 'pg';
import { copyOut } from '../src/db/copyOut.ts';
import { loadSql } from '../src/db/loadSql.ts';
import { quoteIdent } from '../src/db/quote.ts';
import { withClient } from '../src/db/tx.ts';
import { withLiterals } from '../src/db/withLiterals.ts';
import { BinaryCopyChunker } from '../src/pipeline/BinaryCopyChunker.ts';
import type { DuckSession } from '../src/pipeline/DuckSession.ts';
import { extractFeatureParts } from '../src/pipeline/extract.ts';
import type { FeatureSet } from '../src/pipeline/featureSet.ts';
import { readSql } from './support.ts';

const fill = (name: string, vars: Record<string, string>) =>
  readSql(name)
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n')
    .replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k]);

/** The two COPY statements of one pair's extract before issue 20. */
export function extractSqlBefore(c: pg.ClientBase, pair: string, featureSet: FeatureSet, lits: string[]): string[] {
  return [
    withLiterals(c, fill('extract_features_before', { ...extractFeatureParts(pair, featureSet) }), lits),
    withLiterals(
      c,
      fill('extract_labels_before', {
        table: `bqx.${quoteIdent(`labels_${pair}`)}`,
        columns: featureSet.labels.map(quoteIdent).join(', '),
      }),
      lits,
    ),
  ];
}

export async function extractPairBefore(
  pool: pg.Pool,
  duck: DuckSession,
  pair: string,
  featureSet: FeatureSet,
  from: number,
  to: number,
): Promise<number> {
  return withClient(pool, async (c) => {
    const maxLag = Math.max(0, ...featureSet.lags);
    const b = (
      await c.query<{ o_start: Date }>(
        loadSql(new URL('../src/pipeline/extract.ts', import.meta.url).href, './sql/pg_extract_bounds.sql'),
        [pair, new Date(from), new Date(to), maxLag],
      )
    ).rows[0];
    const [features, labels] = extractSqlBefore(c, pair, featureSet, [b.o_start.toISOString(), new Date(to).toISOString()]);
    let rows = 0;
    for (const [sql, table, names] of [
      [features, `raw_${pair}`, featureSet.base.map((x) => x.name)],
      [labels, `labels_${pair}`, featureSet.labels],
    ] as const) {
      const appender = await duck.createColumnTable(table, [...names]);
      const chunker = new BinaryCopyChunker(names.length, table);
      const emit = appender.append.bind(appender);
      try {
        for await (const buf of copyOut(c, sql)) chunker.push(buf, emit);
        chunker.end(emit);
      } finally {
        appender.close();
      }
      if (table.startsWith('raw_')) rows = chunker.rowsTotal;
    }
    return rows;
  });
}
