/**
 * The technical families' worker threads (technicalWorker.ts), one unit at a time each, at most one per
 * core, made on first use and kept for the process. Idle ones are unref'd, so they never keep a finished
 * `bqx` process alive. A worker that fails (an exception in the calculator, or the thread dying) fails its
 * unit with the error and is replaced by a new one on the next acquire.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TechnicalBatch, TechnicalStart, WorkerReply } from './technicalMessages.ts';

const BOOT = new URL('./technicalWorker.boot.mjs', import.meta.url);

export class TechnicalWorker {
  private readonly thread = new Worker(BOOT);
  private pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  broken: Error | null = null;

  constructor() {
    this.thread.on('message', (r: WorkerReply) => {
      const p = this.pending;
      this.pending = null;
      if (r.type === 'error') p?.reject(new Error(`technical worker: ${r.message}`));
      else p?.resolve(r);
    });
    const fail = (e: Error) => {
      this.broken ??= e;
      this.pending?.reject(e);
      this.pending = null;
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new Error(`technical worker exited (code ${code})`)));
  }

  start(m: TechnicalStart): Promise<WorkerReply> {
    return this.request(m, []);
  }

  /** The batch's rows of the range as binary COPY data (the batch's arrays move to the thread). */
  async compute(m: TechnicalBatch): Promise<{ rows: number; data: Buffer }> {
    const r = await this.request(m, [m.us.buffer, m.keep.buffer, m.high.buffer, m.low.buffer, m.close.buffer, m.volume.buffer]);
    if (r.type !== 'batch') throw new Error(`technical worker: expected a batch, got ${r.type}`);
    return { rows: r.rows, data: Buffer.from(r.bytes as ArrayBuffer, r.offset, r.length) };
  }

  private request(m: TechnicalStart | TechnicalBatch, transfer: ArrayBufferLike[]): Promise<WorkerReply> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.pending) return Promise.reject(new Error('technical worker: one request at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.thread.postMessage(m, transfer as ArrayBuffer[]);
    });
  }

  ref(): void {
    this.thread.ref();
  }

  unref(): void {
    this.thread.unref();
  }

  terminate(): Promise<number> {
    return this.thread.terminate();
  }
}

export class TechnicalWorkers {
  private readonly idle: TechnicalWorker[] = [];
  private readonly waiting: Array<(w: TechnicalWorker) => void> = [];
  private made = 0;

  constructor(private readonly max: number) {}

  async acquire(): Promise<TechnicalWorker> {
    let w = this.idle.pop();
    if (w === undefined && this.made < this.max) {
      this.made++;
      w = new TechnicalWorker();
    }
    w ??= await new Promise<TechnicalWorker>((r) => this.waiting.push(r));
    w.ref();
    return w;
  }

  release(w: TechnicalWorker): void {
    if (w.broken) {
      this.made--;
      void w.terminate();
      const next = this.waiting.shift();
      if (next) {
        this.made++;
        next(new TechnicalWorker());
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) {
      next(w);
      return;
    }
    w.unref();
    this.idle.push(w);
  }

  /** Runs fn with a worker of its own, returned to the pool afterwards. */
  async with<T>(fn: (w: TechnicalWorker) => Promise<T>): Promise<T> {
    const w = await this.acquire();
    // (a unit that fails leaves no state behind that matters: the next unit's start resets the calculator)
    try {
      return await fn(w);
    } finally {
      this.release(w);
    }
  }
}

/** The process's pool: one thread per core (a backfill runs at most that many technical units at once). */
export const technicalWorkers = new TechnicalWorkers(Math.max(1, os.availableParallelism()));
