/** The messages between the runner and a technical worker thread (technicalWorker.ts). */
import type { Domain, ObvStart } from './TechnicalCalculator.ts';

/** Begins a unit: a fresh calculator for the domain, OBV from its value before the read start. */
export interface TechnicalStart {
  type: 'start';
  domain: Domain;
  pair: string;
  obvStart: ObvStart;
}

/** One batch of a unit's inputs, in bar order; NULL inputs are NaN (the store never holds NaN). */
export interface TechnicalBatch {
  type: 'batch';
  n: number;
  /** ts_utc in microseconds since 1970-01-01 UTC. */
  us: Float64Array;
  /** 1 where the bar is in the range (its row is written), 0 for a warm-up bar. */
  keep: Uint8Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export type WorkerReply =
  | { type: 'started' }
  /** The batch's rows of the range as COPY (FORMAT binary) data: bytes[offset, offset + length). */
  | { type: 'batch'; rows: number; bytes: ArrayBufferLike; offset: number; length: number }
  | { type: 'error'; message: string };
