/**
 * A split's rows as a DuckDB FROM clause over the staged Parquet files, optionally restricted to a
 * deterministic sample (sql/sample_threshold.sql). Reading columns straight from Parquet, a few at a
 * time, decompresses only those columns; a wide in-memory copy of the sample would cost more than
 * the whole read.
 */
import { type DuckSession, duckLiteral, templateSql } from './DuckSession.ts';

export async function splitSource(duck: DuckSession, files: string[], sample?: { rows: number; seed: number }): Promise<string> {
  const list = `read_parquet([${files.map(duckLiteral).join(', ')}])`;
  if (!sample) return list;
  const [{ o_max }] = await duck.rows<{ o_max: bigint | null }>(
    templateSql('sample_threshold', { files: `[${files.map(duckLiteral).join(', ')}]`, seed: sample.seed, rows: sample.rows }),
  );
  return o_max === null ? `${list} where false` : `${list} where hash(pair, ts_utc, ${sample.seed}) <= ${o_max}::ubigint`;
}
