import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/ingest/bar.ts';
import { validateBar } from '../../src/ingest/validateBar.ts';

const base: Bar = {
  pair: 'eurusd',
  ts: Date.UTC(2024, 6, 1),
  open: 1.1,
  high: 1.2,
  low: 1.0,
  close: 1.15,
  bid: { open: 1.09, high: 1.19, low: 0.99, close: 1.14 },
  ask: { open: 1.11, high: 1.21, low: 1.01, close: 1.16 },
  volume: 10,
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

describe('validateBar bounds (issue 14)', () => {
  it('refuses bars before min_ts and prices outside the plausible band, naming the value', async () => {
    const { priceBand } = await import('../../src/ingest/validateBar.ts');
    const withPast = { ...opts, earliestTs: Date.UTC(2000, 0, 1) };
    expect(validateBar({ ...base, ts: Date.UTC(1970, 0, 1) }, withPast)).toMatch(
      /before the earliest allowed instant 2000-01-01T00:00:00.000Z \(bqx.settings.min_ts\)/,
    );
    const flat = (v: number) => ({ ...base, open: v, high: v, low: v, close: v, bid: null, ask: null });
    expect(check(flat(1e200))).toMatch(/^high 1e\+200 is implausible for eurusd: above 10\.0000 \(pip 0.0001 x 1e3 .. 1e5/);
    expect(check(flat(1e-300))).toMatch(/^low 1e-300 is implausible for eurusd: below 0\.100000/);
    expect(check({ volume: 1e200 })).toMatch(/volume 1e\+200 is implausible/);
    const bands = new Map([['eurusd', priceBand('eurusd', 1.08, 4)]]);
    expect(validateBar(flat(5), { ...opts, bands })).toMatch(
      /^high 5 is implausible for eurusd: above 4\.32000 \(within 4x of its baseline close 1.08/,
    );
    expect(validateBar(flat(1.2), { ...opts, bands })).toBeNull();
    expect(validateBar({ ...flat(1.1), bid: { open: 1.1, high: 1.1, low: 0.2, close: 1.1 }, ask: null }, { ...opts, bands })).toMatch(
      /^bid_low 0.2 is implausible/,
    );
  });
});
