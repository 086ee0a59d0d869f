/**
 * A worker thread computing the technical indicators of one unit at a time (see TechnicalWorkers): the
 * parent streams the unit's input batches in, this thread runs TechnicalCalculator over them and sends
 * back each batch's rows of the range as binary COPY data, which the parent writes. Keeping the
 * computation off the main thread is what lets a second backfill worker's SQL units be dispatched while
 * one pair's indicators are being computed (on the event loop they waited for it).
 */
import { parentPort } from 'node:worker_threads';
import { BinaryCopyBuffer } from '../../db/BinaryCopyBuffer.ts';
import { TechnicalCalculator } from './TechnicalCalculator.ts';
import type { TechnicalBatch, TechnicalStart, WorkerReply } from './technicalMessages.ts';

let calc: TechnicalCalculator | null = null;
let pair = '';
const row = new Float64Array(TechnicalCalculator.WIDTH);
const orNull = (x: number) => (Number.isNaN(x) ? null : x);

parentPort!.on('message', (m: TechnicalStart | TechnicalBatch) => {
  try {
    if (m.type === 'start') {
      calc = new TechnicalCalculator(m.domain, m.obvStart);
      pair = m.pair;
      parentPort!.postMessage({ type: 'started' } satisfies WorkerReply);
      return;
    }
    if (calc === null) throw new Error('a batch before its unit started');
    const out = new BinaryCopyBuffer(pair, TechnicalCalculator.WIDTH, m.n);
    for (let i = 0; i < m.n; i++) {
      const vals = calc.next({ high: orNull(m.high[i]), low: orNull(m.low[i]), close: orNull(m.close[i]), volume: orNull(m.volume[i]) });
      if (m.keep[i] === 0) continue; // warm-up bars only feed the state
      for (let j = 0; j < vals.length; j++) row[j] = vals[j] ?? NaN;
      out.push(m.us[i], row);
    }
    const data = out.finish();
    // A batch's buffer larger than Node's Buffer pool is its own ArrayBuffer and can move, not copy; a
    // small one (a tick's few rows) may sit in the shared pool, which must never be transferred.
    const own = data.buffer.byteLength > Buffer.poolSize;
    const bytes = own ? data.buffer : data.buffer.slice(data.byteOffset, data.byteOffset + data.length);
    parentPort!.postMessage(
      { type: 'batch', rows: out.rows, bytes, offset: own ? data.byteOffset : 0, length: data.length } satisfies WorkerReply,
      [bytes as ArrayBuffer],
    );
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) } satisfies WorkerReply);
  }
});
