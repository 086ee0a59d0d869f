/**
 * OANDA v20 candles JSON (GET /v3/instruments/{instrument}/candles): {"instrument": "EUR_USD",
 * "granularity": "M1", "candles": [{"complete": true, "volume": 57, "time": "...", "mid": {"o": ...},
 * "bid": {...}, "ask": {...}}]}. Prices are strings. Times are RFC 3339 or UNIX seconds (Accept-Datetime-
 * Format). Incomplete candles (complete = false, still forming) are skipped and counted, never stored.
 * Rows are numbered by candle (1-based) in messages, since a JSON document has no useful line numbers.
 */
import fs from 'node:fs';
import { BqxError } from '../../db/errors.ts';
import { normalizePair } from '../../features/pairs.ts';
import type { Ohlc, SourceRow } from '../bar.ts';
import { parseDecimal, parseUtcTimestamp } from '../parseUtc.ts';

interface Candle {
  complete?: boolean;
  volume?: number;
  time?: string;
  mid?: Record<string, string>;
  bid?: Record<string, string>;
  ask?: Record<string, string>;
}

function ohlc(o: Record<string, string> | undefined): Ohlc | null {
  if (!o) return null;
  return {
    open: parseDecimal(String(o.o)),
    high: parseDecimal(String(o.h)),
    low: parseDecimal(String(o.l)),
    close: parseDecimal(String(o.c)),
  };
}

function parseTime(t: string | undefined): number {
  if (t === undefined) return NaN;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  return parseUtcTimestamp(t);
}

export interface OandaStats {
  incomplete: number;
}

export async function* parseOanda(file: string, pairOverride: string | undefined, stats: OandaStats): AsyncGenerator<SourceRow[]> {
  const text = await fs.promises.readFile(file, 'utf8');
  let doc: { instrument?: string; granularity?: string; candles?: Candle[] };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BqxError('BQX_INGEST_FORMAT', `${file} is not a complete JSON document: ${(err as Error).message}`, {
      hint: 'the file looks truncated or corrupted; download it again (nothing was loaded)',
    });
  }
  if (!doc || !Array.isArray(doc.candles)) {
    throw new BqxError('BQX_INGEST_FORMAT', `${file} has no "candles" array`, { hint: 'expected an OANDA v20 candles response' });
  }
  if (doc.granularity && doc.granularity !== 'M1') {
    throw new BqxError('BQX_INGEST_FORMAT', `${file} holds ${doc.granularity} candles; the store takes M1`, {
      hint: 'request granularity=M1',
    });
  }
  const pair = pairOverride ?? normalizePair(doc.instrument ?? '');
  const out: SourceRow[] = [];
  for (let i = 0; i < doc.candles.length; i++) {
    const c = doc.candles[i];
    const line = i + 1;
    if (c.complete === false) {
      stats.incomplete++;
      continue;
    }
    const mid = ohlc(c.mid);
    const bid = ohlc(c.bid);
    const ask = ohlc(c.ask);
    // Without mid, the mid is the average of bid and ask, as OANDA itself defines it.
    const m =
      mid ??
      (bid && ask
        ? {
            open: (bid.open + ask.open) / 2,
            high: (bid.high + ask.high) / 2,
            low: (bid.low + ask.low) / 2,
            close: (bid.close + ask.close) / 2,
          }
        : null);
    if (!m) {
      out.push({ line, error: 'candle has neither mid nor bid+ask prices', raw: JSON.stringify(c) });
      continue;
    }
    const ts = parseTime(c.time);
    if (Number.isNaN(ts)) {
      out.push({ line, error: `time ${JSON.stringify(c.time)} does not parse`, raw: JSON.stringify(c) });
      continue;
    }
    out.push({ line, bar: { pair, ts, ...m, bid, ask, volume: c.volume === undefined ? null : Number(c.volume) } });
  }
  if (out.length) yield out;
}
