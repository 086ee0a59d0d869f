/**
 * The ingest's early partition check against a brute-force count: for bars in any order, after every
 * bar, the partitions the bars so far would create (each pair's months from its first bar through its
 * last plus premake, clamped at the month of now() + max_future, less those that exist).
 */
import { describe, expect, it } from 'vitest';
import { PartitionBudget } from '../../src/ingest/PartitionBudget.ts';
import { rng } from '../support/rng.ts';

/** A different way to the same count: month starts as Date objects, names from ISO strings. */
function bruteForce(bars: Array<[string, number]>, existing: Set<string>, premake: number, latest: number): number {
  const byPair = new Map<string, number[]>();
  for (const [p, ts] of bars) byPair.set(p, [...(byPair.get(p) ?? []), ts]);
  let n = 0;
  const limit = new Date(latest);
  const limitStart = Date.UTC(limit.getUTCFullYear(), limit.getUTCMonth(), 1);
  for (const [pair, ts] of byPair) {
    const lo = new Date(Math.min(...ts));
    const hi = new Date(Math.max(...ts));
    const stop = Math.min(Date.UTC(hi.getUTCFullYear(), hi.getUTCMonth() + premake, 1), limitStart);
    for (let d = new Date(Date.UTC(lo.getUTCFullYear(), lo.getUTCMonth(), 1)); d.getTime() <= stop; d.setUTCMonth(d.getUTCMonth() + 1)) {
      const name = `m1_${pair}_${d.toISOString().slice(0, 7).replace('-', '_')}`;
      if (!existing.has(name)) n++;
    }
  }
  return n;
}

describe('PartitionBudget', () => {
  const latest = Date.UTC(2025, 2, 10, 12);
  const existing = ['m1_eurusd_2024_01', 'm1_eurusd_2024_02', 'm1_gbpusd_2023_12', 'm1_usdjpy_2025_03', 'reg_rate_eurusd_2024_03'];

  it('counts what the bars so far would create, after every bar, in any order', () => {
    const rand = rng(7);
    const pairs = ['eurusd', 'gbpusd', 'usdjpy'];
    const from = Date.UTC(2023, 5, 1);
    for (let trial = 0; trial < 20; trial++) {
      const premake = trial % 3;
      const budget = new PartitionBudget({ m1_partitions: existing, premake_months: premake, latest_ms: latest }, 1e9);
      const seen: Array<[string, number]> = [];
      for (let i = 0; i < 60; i++) {
        // mostly in time order, with jumps back and forth and month edges (the first and last minute)
        const ts =
          i % 7 === 0
            ? Date.UTC(2023 + Math.floor(rand() * 2), Math.floor(rand() * 12), 1) - (rand() < 0.5 ? 60_000 : 0)
            : from + rand() * (latest - from);
        const pair = pairs[Math.floor(rand() * pairs.length)];
        seen.push([pair, ts]);
        budget.observe(pair, ts);
        expect(budget.count).toBe(bruteForce(seen, new Set(existing), premake, latest));
      }
    }
  });

  it('says when the cap is passed, and names each pair`s span so far', () => {
    const budget = new PartitionBudget({ m1_partitions: [], premake_months: 0, latest_ms: latest }, 12);
    expect(budget.observe('eurusd', Date.UTC(2024, 0, 5))).toBe(false);
    expect(budget.observe('eurusd', Date.UTC(2024, 11, 31, 23, 59))).toBe(false); // 12 months: at the cap
    expect(budget.observe('audusd', Date.UTC(2024, 5, 1))).toBe(true); // 13
    expect(budget.count).toBe(13);
    expect(budget.pairs()).toEqual([
      { pair: 'audusd', lo: Date.UTC(2024, 5, 1), hi: Date.UTC(2024, 5, 1) },
      { pair: 'eurusd', lo: Date.UTC(2024, 0, 5), hi: Date.UTC(2024, 11, 31, 23, 59) },
    ]);
  });

  it('does not count premake past the month of now() + max_future, nor months that exist', () => {
    const budget = new PartitionBudget({ m1_partitions: existing, premake_months: 6, latest_ms: latest }, 1e9);
    budget.observe('usdjpy', Date.UTC(2025, 1, 3));
    // 2025-02 and 2025-03 (the limit's month, which exists), not 2025-04..08
    expect(budget.count).toBe(1);
  });
});
