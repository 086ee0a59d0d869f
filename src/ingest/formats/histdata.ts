/**
 * HistData.com "Generic ASCII" M1: `20240701 000000;1.070500;1.070600;1.070400;1.070550;0`.
 * Timestamps are EST without daylight saving (UTC-5 all year), per HistData's documentation, so we add
 * five hours. Prices are one side of the book; they are stored as the mid OHLC and bid/ask stay NULL.
 */
import type { SourceRow } from '../bar.ts';
import { parseDecimal, utcFromParts } from '../parseUtc.ts';
import { readLineBatches, UNTERMINATED } from '../readLines.ts';

const EST_OFFSET_MS = 5 * 3600_000;
const LINE = /^(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/;

export async function* parseHistData(file: string, pair: string): AsyncGenerator<SourceRow[]> {
  for await (const lines of readLineBatches(file)) {
    const out: SourceRow[] = [];
    for (const { line, text, unterminated } of lines) {
      if (text.trim() === '') continue;
      if (unterminated) {
        out.push({ line, error: UNTERMINATED, raw: text });
        continue;
      }
      const f = text.split(';');
      if (f.length !== 6) {
        out.push({ line, error: `expected 6 semicolon-separated fields, found ${f.length}`, raw: text });
        continue;
      }
      const m = LINE.exec(f[0].trim());
      if (!m) {
        out.push({ line, error: `timestamp ${JSON.stringify(f[0])} is not YYYYMMDD HHMMSS`, raw: text });
        continue;
      }
      const ts = utcFromParts(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]) + EST_OFFSET_MS;
      if (Number.isNaN(ts)) {
        out.push({ line, error: `timestamp ${JSON.stringify(f[0])} is not a calendar instant (day or time out of range)`, raw: text });
        continue;
      }
      const vol = parseDecimal(f[5]);
      out.push({
        line,
        bar: {
          pair,
          ts,
          open: parseDecimal(f[1]),
          high: parseDecimal(f[2]),
          low: parseDecimal(f[3]),
          close: parseDecimal(f[4]),
          bid: null,
          ask: null,
          volume: vol,
        },
      });
    }
    if (out.length) yield out;
  }
}
