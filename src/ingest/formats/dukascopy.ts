/**
 * Dukascopy historical data export (CSV): header `Gmt time,Open,High,Low,Close,Volume` (or `Local time`
 * with a `GMT+0200`-style suffix on each timestamp), timestamps `01.07.2024 00:00:00.000`. One file holds
 * one side (BID or ASK); prices are stored as the mid OHLC, bid/ask stay NULL. Volume is in millions of
 * units, not ticks; it is stored as given.
 */
import { BqxError } from '../../db/errors.ts';
import type { SourceRow } from '../bar.ts';
import { parseDecimal } from '../parseUtc.ts';
import { readLineBatches } from '../readLines.ts';

const TS = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?(?: GMT([+-])(\d{2}):?(\d{2}))?$/;

export async function* parseDukascopy(file: string, pair: string): AsyncGenerator<SourceRow[]> {
  let header = true;
  for await (const lines of readLineBatches(file)) {
  const out: SourceRow[] = [];
  for (const { line, text } of lines) {
    if (text.trim() === '') continue;
    if (header) {
      if (!/^(gmt|local) time,/i.test(text.trim())) {
        throw new BqxError('BQX_INGEST_FORMAT', `${file}:1: not a Dukascopy header: ${JSON.stringify(text.slice(0, 60))}`, {
          hint: 'expected "Gmt time,Open,High,Low,Close,Volume"; pass --format to choose another parser',
        });
      }
      header = false;
      continue;
    }
    const f = text.split(',');
    if (f.length !== 6) { out.push({ line, error: `expected 6 fields, found ${f.length}`, raw: text }); continue; }
    const m = TS.exec(f[0].trim());
    if (!m) { out.push({ line, error: `timestamp ${JSON.stringify(f[0])} is not DD.MM.YYYY HH:MM:SS.mmm`, raw: text }); continue; }
    let ts = Date.UTC(+m[3], +m[2] - 1, +m[1], +m[4], +m[5], +m[6], m[7] ? +m[7] : 0);
    if (m[8]) ts -= (m[8] === '+' ? 1 : -1) * (+m[9] * 3600_000 + +m[10] * 60_000);
    out.push({
      line,
      bar: { pair, ts, open: parseDecimal(f[1]), high: parseDecimal(f[2]), low: parseDecimal(f[3]), close: parseDecimal(f[4]), bid: null, ask: null, volume: parseDecimal(f[5]) },
    });
  }
  if (out.length) yield out;
  }
}
