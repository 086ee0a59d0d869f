import { describe, expect, it } from 'vitest';
import { applyNotification } from '../../src/serve/listenVectors.ts';
import { VectorCache } from '../../src/serve/VectorCache.ts';
import { formatFloat8, renderPieces, splitVector } from '../../src/serve/vectorDocument.ts';

const MIN = 60_000;
const T = Date.UTC(2024, 6, 3, 9, 59);
const doc = (age: string) =>
  `{"pair": "eurusd", "ts_utc": "2024-07-03T09:59:00Z", "age_seconds": ${age}, "features": {"open": 1.0842, "x": null}}`;
const frag = (pair = 'eurusd') => ({ tsMs: T, head: Buffer.from(`{"pair": "${pair}", "age_seconds": `), tail: Buffer.from('}') });

describe('vector documents', () => {
  it('print float8 as PostgreSQL does (to_json(x::float8) on PostgreSQL 15, copied here)', () => {
    const pg: Array<[number, string]> = [
      [0.00001, '1e-05'],
      [1e15, '1e+15'],
      [123456789012345, '123456789012345'],
      [0.0001, '0.0001'],
      [0.00015, '0.00015'],
      [1.5e-7, '1.5e-07'],
      [1234567890123456, '1.234567890123456e+15'],
      [30, '30'],
      [0.001, '0.001'],
      [86399.999, '86399.999'],
      [1e-300, '1e-300'],
      [2.5e20, '2.5e+20'],
      [1e21, '1e+21'],
      [0, '0'],
    ];
    for (const [x, text] of pg) expect([x, formatFloat8(x)]).toEqual([x, text]);
  });

  it('split around age_seconds and render it back for another instant of the minute', () => {
    const at = T + MIN + 30_500;
    const f = splitVector(doc('30.5'), at)!;
    expect(f.tsMs).toBe(T);
    expect(Buffer.concat(renderPieces(f, at)).toString()).toBe(doc('30.5'));
    expect(Buffer.concat(renderPieces(f, T + MIN)).toString()).toBe(doc('0'));
    expect(Buffer.concat(renderPieces(f, T + 2 * MIN - 1)).toString()).toBe(doc('59.999'));
    // a document whose age it would not render identically is refused, not cached
    expect(splitVector(doc('30.50'), at)).toBeNull();
    expect(splitVector(doc('31'), at)).toBeNull();
    expect(splitVector('{"pair": "eurusd"}', at)).toBeNull();
  });
});

describe('the vector cache', () => {
  const make = (now = { t: 0 }, maxBytes = 1 << 20) => {
    const c = new VectorCache({ maxAgeMs: 1000, maxBytes, now: () => now.t });
    c.enabled = true;
    return c;
  };
  const put = (c: VectorCache, pair: string, minute: number, token = c.token(pair)) =>
    c.store(VectorCache.key(pair, minute, null), { pair, minute, fragment: frag(pair) }, token);
  const has = (c: VectorCache, pair: string, minute: number) => c.get(VectorCache.key(pair, minute, null)) !== undefined;

  it("drops a pair's entries whose answer a write from that bar on may change, and only those", () => {
    const c = make();
    const m = Date.UTC(2024, 6, 3, 10, 0);
    for (const k of [0, 1, 2, 3]) put(c, 'eurusd', m + k * MIN);
    put(c, 'usdjpy', m + 3 * MIN);
    // a write of bars from 10:01 on: the 10:02 minute answers the bar <= 10:01, so it and later go
    c.invalidate('eurusd', m + MIN);
    expect([0, 1, 2, 3].map((k) => has(c, 'eurusd', m + k * MIN))).toEqual([true, true, false, false]);
    expect(has(c, 'usdjpy', m + 3 * MIN)).toBe(true);
    c.invalidate('eurusd', null);
    expect(has(c, 'eurusd', m)).toBe(false);
    applyNotification(c, '*');
    expect(has(c, 'usdjpy', m + 3 * MIN)).toBe(false);
  });

  it('reads the notification payloads the writers send', () => {
    const c = make();
    put(c, 'eurusd', 5 * MIN);
    put(c, 'usdjpy', 5 * MIN);
    applyNotification(c, `eurusd ${6 * MIN}`);
    expect(has(c, 'eurusd', 5 * MIN)).toBe(true);
    applyNotification(c, `eurusd ${4 * MIN}`);
    expect(has(c, 'eurusd', 5 * MIN)).toBe(false);
    applyNotification(c, 'usdjpy ');
    expect(has(c, 'usdjpy', 5 * MIN)).toBe(false);
    put(c, 'usdjpy', 5 * MIN);
    applyNotification(c, 'something else'); // unknown: drop everything
    expect(has(c, 'usdjpy', 5 * MIN)).toBe(false);
  });

  it('refuses a fetch that began before its pair was invalidated, and stores nothing while disabled', () => {
    const c = make();
    const token = c.token('eurusd');
    c.invalidate('eurusd', 0);
    expect(put(c, 'eurusd', MIN, token)).toBe(false);
    const t2 = c.token('eurusd');
    c.invalidate('usdjpy', 0); // another pair's write does not matter
    expect(put(c, 'eurusd', MIN, t2)).toBe(true);
    const t3 = c.token('gbpusd');
    c.invalidateAll();
    expect(put(c, 'gbpusd', MIN, t3)).toBe(false);
    c.enabled = false;
    expect(put(c, 'gbpusd', MIN)).toBe(false);
    expect(c.get(VectorCache.key('eurusd', MIN, null))).toBeUndefined();
  });

  it('expires entries after the maximum age and drops the least recently used beyond its bytes', () => {
    const now = { t: 0 };
    const c = make(now);
    put(c, 'eurusd', MIN);
    now.t = 1000;
    expect(has(c, 'eurusd', MIN)).toBe(true);
    now.t = 1001;
    expect(has(c, 'eurusd', MIN)).toBe(false);
    const one = frag().head.length + frag().tail.length + VectorCache.key('eurusd', MIN, null).length + 64; // as store() counts
    const small = make({ t: 0 }, 2 * one + 10);
    put(small, 'eurusd', MIN);
    put(small, 'eurusd', 2 * MIN);
    expect(has(small, 'eurusd', MIN)).toBe(true); // touched: now the most recent
    put(small, 'eurusd', 3 * MIN);
    expect([MIN, 2 * MIN, 3 * MIN].map((m) => has(small, 'eurusd', m))).toEqual([true, false, true]);
    expect(small.snapshot().bytes).toBeLessThanOrEqual(2 * one + 10);
  });
});
