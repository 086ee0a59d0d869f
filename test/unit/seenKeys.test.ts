/**
 * The streaming duplicate check against the plainest form of its contract: per pair, the last `window`
 * keys in the order they came, kept in a Map (ts -> line, hash of the values), the oldest let go first.
 * Streams in time order, with repeats (identical and not), with strays far back and with jumps, on small
 * windows so that keys are let go of often; every answer and the `late` count must agree.
 */
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/ingest/bar.ts';
import { SeenKeys } from '../../src/ingest/SeenKeys.ts';
import { rng } from '../support/rng.ts';

class Reference {
  private readonly byPair = new Map<string, { seen: Map<number, { line: number; values: string }>; released: number }>();
  late = 0;
  constructor(private readonly window: number) {}
  check(b: Bar, line: number): null | 'same' | number {
    let w = this.byPair.get(b.pair);
    if (!w) {
      w = { seen: new Map(), released: Number.NEGATIVE_INFINITY };
      this.byPair.set(b.pair, w);
    }
    const values = JSON.stringify([b.open, b.high, b.low, b.close, b.bid, b.ask, b.volume]);
    const first = w.seen.get(b.ts);
    if (first) return first.values === values ? 'same' : first.line;
    if (b.ts <= w.released) this.late++;
    w.seen.set(b.ts, { line, values });
    if (w.seen.size > this.window) {
      const oldest = w.seen.keys().next().value as number;
      w.seen.delete(oldest);
      w.released = Math.max(w.released, oldest);
    }
    return null;
  }
}

const T0 = Date.UTC(2024, 6, 1);
function bar(pair: string, minute: number, close: number, withQuotes: boolean): Bar {
  const q = withQuotes ? { open: close, high: close, low: close, close } : null;
  return { pair, ts: T0 + minute * 60_000, open: close, high: close, low: close, close, bid: q, ask: q, volume: withQuotes ? 7 : null };
}

describe('SeenKeys', () => {
  it('answers as the Map of the last window keys would, for streams in order, with repeats, strays and jumps', () => {
    for (const [seed, window] of [
      [1, 1],
      [2, 4],
      [3, 16],
      [4, 50],
      [5, 7],
    ] as const) {
      const rand = rng(seed);
      const ours = new SeenKeys(window);
      const ref = new Reference(window);
      const minute = new Map<string, number>([
        ['eurusd', 0],
        ['usdjpy', 0],
      ]);
      const answers = { null: 0, same: 0, other: 0 };
      for (let line = 1; line <= 4000; line++) {
        const pair = rand() < 0.7 ? 'eurusd' : 'usdjpy';
        const now = minute.get(pair)!;
        const r = rand();
        let m: number;
        if (r < 0.8)
          m = now + 1 + (rand() < 0.1 ? Math.floor(rand() * 5) : 0); // in order, with gaps
        else if (r < 0.9)
          m = now - Math.floor(rand() * 3 * window); // a repeat within or beyond the window
        else if (r < 0.97)
          m = now - Math.floor(rand() * 200); // a stray from far back
        else m = now + Math.floor(rand() * 100); // a jump ahead
        if (m > now) minute.set(pair, m);
        // the same value for a minute most of the time (an identical repeat), another one sometimes
        const close = 1 + (m % 97) / 1000 + (rand() < 0.15 ? 0.5 : 0);
        const b = bar(pair, m, close, m % 3 !== 0);
        const want = ref.check(b, line);
        expect(ours.check(b, line), `seed ${seed}, window ${window}, line ${line}`).toBe(want);
        answers[want === null ? 'null' : want === 'same' ? 'same' : 'other']++;
      }
      expect(ours.late).toBe(ref.late);
      // the stream exercised every answer
      expect(Math.min(answers.null, answers.same, answers.other)).toBeGreaterThan(20);
      expect(ref.late).toBeGreaterThan(0);
    }
  });
});
