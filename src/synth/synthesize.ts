/** `bqx synth`: the synthetic market into the database (through the ingest checks) or into a generic CSV file. */

import { once } from 'node:events';
import fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type pg from 'pg';
import { barToCsv, GENERIC_HEADER } from '../ingest/bar.ts';
import { barsSource, type IngestOptions, type IngestReport, ingestSource } from '../ingest/ingest.ts';
import { type SynthOptions, synthesizeMarket } from './market.ts';

export function synthLabel(o: SynthOptions): string {
  return `synth(seed=${o.seed}, ${new Date(o.from).toISOString().slice(0, 10)}..${new Date(o.to).toISOString().slice(0, 10)})`;
}

export async function synthToDatabase(pool: pg.Pool, o: SynthOptions, ingest: IngestOptions = {}): Promise<IngestReport> {
  return ingestSource(pool, barsSource(synthLabel(o), synthesizeMarket(o)), ingest);
}

/**
 * The synthetic market as a generic CSV file. It yields to the event loop after every 64 KiB chunk and
 * reports the rows so far (`onRows`): a month of 28 pairs takes a minute or more of pure CPU, and
 * without the yields no progress line could be printed meanwhile (a file stream's write rarely asks to
 * drain).
 */
export async function synthToFile(file: string, o: SynthOptions, onRows?: (rows: number) => void): Promise<{ file: string; rows: number }> {
  const out = fs.createWriteStream(file);
  let rows = 0;
  let chunk = GENERIC_HEADER.join(',') + '\n';
  for (const bar of synthesizeMarket(o)) {
    chunk += barToCsv(bar) + '\n';
    rows++;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      else await yieldToLoop();
      chunk = '';
      onRows?.(rows);
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  onRows?.(rows);
  return { file, rows };
}
