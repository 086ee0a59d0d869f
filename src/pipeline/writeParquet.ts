/**
 * Stage 8a: one Parquet file per pair and split, `{out}/{split}/{pair}.parquet` (snappy, rows in time
 * order), written by one DuckDB COPY partitioned by split; each file's SHA-256 and row count go into
 * the manifest. A chunked build writes each chunk's rows to part files first (writeChunkParts) and
 * then one file per split from them (publishPairFiles): a single part is renamed, several are
 * concatenated in chunk order by one streaming COPY, so no step holds more than a chunk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';
import { SPLITS, type Split } from './split.ts';

export interface OutputFile {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The dataset's column list in file order (after pair, ts_utc): features, then labels. */
export const fileColumns = (f: FeatureSet) => [...f.columns.map((c) => c.name), ...f.labels];

/** The part files of one chunk: `{partsDir}/split={split}/*.parquet`, rows in time (or event) order. */
export async function writeChunkParts(
  duck: DuckSession,
  partsDir: string,
  pair: string,
  dataset: string,
  f: FeatureSet,
  leading: string[] = [],
): Promise<Record<Split, string[]>> {
  fs.rmSync(partsDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(partsDir), { recursive: true });
  await duck.run(
    templateSql('write_parquet', {
      pair: duckLiteral(pair),
      dataset: duckIdent(dataset),
      path: duckLiteral(partsDir),
      columns: fileColumns(f).map(duckIdent).join(', '),
      leading: leading.map((c) => `${duckIdent(c)}, `).join(''),
      order: leading.length ? 'ts, event' : 'ts_utc',
    }),
  );
  const out = {} as Record<Split, string[]>;
  for (const split of SPLITS) {
    const partDir = path.join(partsDir, `split=${split}`);
    const files = fs.existsSync(partDir) ? fs.readdirSync(partDir).filter((x) => x.endsWith('.parquet')) : [];
    if (files.length > 1) throw new Error(`DuckDB wrote ${files.length} files for ${pair} ${split}; expected one`);
    out[split] = files.map((x) => path.join(partDir, x));
  }
  return out;
}

/**
 * `{dir}/{split}/{pair}.parquet` from the chunks' parts (in chunk order); `dataset` (any chunk's view)
 * gives the columns of a split without rows.
 */
export async function publishPairFiles(
  duck: DuckSession,
  dir: string,
  pair: string,
  parts: Array<Record<Split, string[]>>,
  dataset: string,
  f: FeatureSet,
  leading: string[] = [],
): Promise<Record<Split, OutputFile>> {
  const columns = fileColumns(f).map(duckIdent).join(', ');
  const lead = leading.map((c) => `${duckIdent(c)}, `).join('');
  const out = {} as Record<Split, OutputFile>;
  for (const split of SPLITS) {
    const rel = path.join(split, `${pair}.parquet`);
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const files = parts.flatMap((p) => p[split]);
    if (files.length === 1) fs.renameSync(files[0], abs);
    else if (files.length > 1) {
      await duck.run(templateSql('concat_parquet', { files: `[${files.map(duckLiteral).join(', ')}]`, path: duckLiteral(abs) }));
      for (const x of files) fs.rmSync(x);
    } else {
      // a pair with no rows in a split still gets its (empty) file, so every split reads the same glob
      await duck.run(
        `copy (select ${duckLiteral(pair)} as pair, ${lead}ts_utc, ${columns} from ${duckIdent(dataset)} where false) to ${duckLiteral(abs)} (format parquet, compression snappy)`,
      );
    }
    const [{ n }] = await duck.rows<{ n: bigint }>(
      `select coalesce(sum(num_rows), 0)::bigint as n from parquet_file_metadata(${duckLiteral(abs)})`,
    );
    out[split] = { path: rel, rows: Number(n), bytes: fs.statSync(abs).size, sha256: await sha256File(abs) };
  }
  return out;
}

/** One dataset view to its files in one chunk. `leading`: columns before ts_utc (a spine's event columns; the rows are then in event order). */
export async function writePairParquet(
  duck: DuckSession,
  dir: string,
  pair: string,
  dataset: string,
  f: FeatureSet,
  leading: string[] = [],
): Promise<Record<Split, OutputFile>> {
  const parts = path.join(dir, '.parts', pair);
  const chunk = await writeChunkParts(duck, parts, pair, dataset, f, leading);
  const out = await publishPairFiles(duck, dir, pair, [chunk], dataset, f, leading);
  fs.rmSync(parts, { recursive: true, force: true });
  return out;
}
