/**
 * The demo's synthetic CSV: what synthToFile writes, but yielding to the event loop after every chunk
 * and reporting the rows so far. A month of 28 pairs takes a minute or more of pure CPU; without the
 * yields no progress line could be printed meanwhile (a file stream's write rarely asks to drain).
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { barToCsv, GENERIC_HEADER } from '../ingest/bar.ts';
import { synthesizeMarket, type SynthOptions } from '../synth/market.ts';

export async function writeSynthCsv(file: string, o: SynthOptions, onRows?: (rows: number) => void): Promise<{ file: string; rows: number }> {
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
