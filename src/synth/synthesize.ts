/** `bqx synth`: the synthetic market into the database (through the ingest checks) or into a generic CSV file. */
import fs from 'node:fs';
import { once } from 'node:events';
import type pg from 'pg';
import { barsSource, ingestSource, type IngestOptions, type IngestReport } from '../ingest/ingest.ts';
import { barToCsv, GENERIC_HEADER } from '../ingest/bar.ts';
import { synthesizeMarket, type SynthOptions } from './market.ts';

export function synthLabel(o: SynthOptions): string {
  return `synth(seed=${o.seed}, ${new Date(o.from).toISOString().slice(0, 10)}..${new Date(o.to).toISOString().slice(0, 10)})`;
}

export async function synthToDatabase(pool: pg.Pool, o: SynthOptions, ingest: IngestOptions = {}): Promise<IngestReport> {
  return ingestSource(pool, barsSource(synthLabel(o), synthesizeMarket(o)), ingest);
}

export async function synthToFile(file: string, o: SynthOptions): Promise<{ file: string; rows: number }> {
  const out = fs.createWriteStream(file);
  let rows = 0;
  let chunk = GENERIC_HEADER.join(',') + '\n';
  for (const bar of synthesizeMarket(o)) {
    chunk += barToCsv(bar) + '\n';
    rows++;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { file, rows };
}
