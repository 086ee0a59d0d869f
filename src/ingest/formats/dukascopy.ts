/**
 * Dukascopy historical data export (CSV): header `Gmt time,Open,High,Low,Close,Volume` (or `Local time`
 * with a `GMT+0200`-style suffix on each timestamp), timestamps `01.07.2024 00:00:00.000`. One file holds
 * one side (BID or ASK); prices are stored as the mid OHLC, bid/ask stay NULL. Volume is in millions of
 * units, not ticks; it is stored as given. A `Local time` row without its GMT offset names no zone: the
 * file is refused rather than read as UTC (the offset is the only record of which local time it was).
 */
import { BqxError } from '../../db/errors.ts';
import type { SourceRow } from '../bar.ts';
import { offsetMs, parseDecimal, utcFromParts } from '../parseUtc.ts';
import { readLineBatches, UNTERMINATED } from '../readLines.ts';

const TS = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?(?: GMT([+-])(\d{2}):?(\d{2}))?$/;

export async function* parseDukascopy(file: string, pair: string): AsyncGenerator<SourceRow[]> {
  let header = true;
  let local = false;
  for await (const lines of readLineBatches(file)) {
    const out: SourceRow[] = [];
    for (const { line, text, unterminated } of lines) {
      if (text.trim() === '') continue;
      if (header) {
        const cols = text.split(',').map((c) => c.trim().toLowerCase());
        // The exact six columns in order: a repeated or missing column would silently shift every price.
        if (cols.length !== 6 || !/^(gmt|local) time$/.test(cols[0]) || cols.slice(1).join(',') !== 'open,high,low,close,volume') {
          throw new BqxError('BQX_INGEST_FORMAT', `${file}:${line}: not a Dukascopy header: ${JSON.stringify(text.slice(0, 80))}`, {
            hint: 'expected "Gmt time,Open,High,Low,Close,Volume" (or "Local time,..."); pass --format to choose another parser',
          });
        }
        local = cols[0] === 'local time';
        header = false;
        continue;
      }
      if (unterminated) {
        out.push({ line, error: UNTERMINATED, raw: text });
        continue;
      }
      const f = text.split(',');
      if (f.length !== 6) {
        out.push({ line, error: `expected 6 fields, found ${f.length}`, raw: text });
        continue;
      }
      const m = TS.exec(f[0].trim());
      if (!m) {
        out.push({ line, error: `timestamp ${JSON.stringify(f[0])} is not DD.MM.YYYY HH:MM:SS.mmm`, raw: text });
        continue;
      }
      if (local && !m[8]) {
        throw new BqxError(
          'BQX_INGEST_FORMAT',
          `${file}:${line}: a "Local time" export whose timestamp ${JSON.stringify(f[0].trim())} carries no GMT offset, so its zone is unknown; nothing was loaded`,
          {
            hint: 'export again with "Gmt time" (Dukascopy: Time zone GMT), or keep the " GMT+0200"-style suffix on every timestamp',
          },
        );
      }
      let ts = utcFromParts(+m[3], +m[2], +m[1], +m[4], +m[5], +m[6], m[7] ? +m[7] : 0);
      if (m[8]) ts -= offsetMs(m[8], m[9], m[10]);
      if (Number.isNaN(ts)) {
        out.push({
          line,
          error: `timestamp ${JSON.stringify(f[0])} is not a calendar instant (day, time or offset out of range)`,
          raw: text,
        });
        continue;
      }
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
          volume: parseDecimal(f[5]),
        },
      });
    }
    if (out.length) yield out;
  }
}
