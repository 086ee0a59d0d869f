import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/ingest/bar.ts';
import { validateBar } from '../../src/ingest/validateBar.ts';

const base: Bar = {
  pair: 'eurusd', ts: Date.UTC(2024, 6, 1), open: 1.1, high: 1.2, low: 1.0, close: 1.15,
  bid: { open: 1.09, high: 1.19, low: 0.99, close: 1.14 }, ask: { open: 1.11, high: 1.21, low: 1.01, close: 1.16 }, volume: 10,
};
const opts = { latestTs: Date.UTC(2026, 0, 1) };
const check = (patch: Partial<Bar>) => validateBar({ ...base, ...patch }, opts);

describe('validateBar', () => {
  it('accepts a consistent bar', () => {
    expect(check({})).toBeNull();
    expect(check({ bid: null, ask: null, volume: null })).toBeNull();
  });

  it('names each problem', () => {
    expect(check({ pair: 'xxxyyy' })).toMatch(/unknown pair/);
    expect(check({ ts: base.ts + 30_000 })).toMatch(/not on the minute/);
    expect(check({ ts: Date.UTC(2074, 0, 1) })).toMatch(/beyond the allowed future/);
    expect(check({ open: NaN })).toBe('open is NaN');
    expect(check({ close: Infinity })).toBe('close is infinite');
    expect(check({ open: -1.1 })).toMatch(/open is -1.1; prices must be positive/);
    expect(check({ low: 0 })).toMatch(/low is 0/);
    expect(check({ high: 0.9 })).toMatch(/high 0.9 < low 1/);
    expect(check({ high: 1.12 })).toMatch(/high 1.12 is below open\/close/);
    expect(check({ low: 1.12 })).toMatch(/low 1.12 is above open\/close/);
    expect(check({ bid: { open: 1.12, high: 1.19, low: 0.99, close: 1.14 } })).toMatch(/bid_open 1.12 > ask_open 1.11/);
    expect(check({ volume: -3 })).toMatch(/volume/);
  });
});
