/** One 1-minute bar as it moves through ingest: mid OHLC, optional bid/ask OHLC, optional tick volume. */
export interface Bar {
  pair: string;
  /** Epoch milliseconds, UTC. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  bid: Ohlc | null;
  ask: Ohlc | null;
  volume: number | null;
  /**
   * The bar's values as a COPY text line (pair, ts, 13 numbers), when a parser can give it cheaply from
   * the source text: each number is the source's own decimal string, which PostgreSQL reads to the same
   * double. Saves converting every number back to a string (the costliest step of an ingest otherwise).
   * A function, called only for a row staged as it is read (the fast path's buffer never needs it).
   */
  copyText?: () => string;
}

export interface Ohlc {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A parsed source row: the bar, or why the line could not become one. */
export type SourceRow =
  | { line: number; bar: Bar; error?: undefined; raw?: string }
  | { line: number; bar?: undefined; error: string; raw?: string };

export const GENERIC_HEADER = [
  'pair',
  'ts_utc',
  'open',
  'high',
  'low',
  'close',
  'bid_open',
  'bid_high',
  'bid_low',
  'bid_close',
  'ask_open',
  'ask_high',
  'ask_low',
  'ask_close',
  'volume',
] as const;

const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** The bar as a line of the generic CSV format (the format `bqx synth --out` writes). */
export function barToCsv(b: Bar): string {
  return [
    b.pair,
    new Date(b.ts).toISOString(),
    b.open,
    b.high,
    b.low,
    b.close,
    num(b.bid?.open),
    num(b.bid?.high),
    num(b.bid?.low),
    num(b.bid?.close),
    num(b.ask?.open),
    num(b.ask?.high),
    num(b.ask?.low),
    num(b.ask?.close),
    num(b.volume),
  ].join(',');
}
