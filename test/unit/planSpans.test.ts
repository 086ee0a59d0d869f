/**
 * How far a change reaches, per family (src/runner/planIncremental.ts): which families depend on the
 * pair's row numbering (read from the generated refresh functions), the spans forward and back, and the
 * parsing of the tstzrange text of bqx.dirty_ranges.
 */
import { describe, expect, it } from 'vitest';
import { backwardSpan, forwardSpan, numberedFamilies, parseSpan } from '../../src/runner/planIncremental.ts';

describe('reach of a change', () => {
  it('classifies the block-numbered families from their refresh functions', () => {
    expect([...numberedFamilies()].sort()).toEqual([
      'bollinger_bqx',
      'bollinger_rate',
      'bqx',
      'reg_bqx',
      'reg_rate',
      'spread_features',
      'statistics_bqx',
      'statistics_rate',
      'volume_features',
    ]);
  });

  it('reaches to the end for numbered, TypeScript and dependent families; one bar for time features; 75 back for labels', () => {
    for (const f of ['bqx', 'reg_rate', 'technical_rate', 'technical_bqx', 'labels', 'bollinger_bqx'])
      expect(forwardSpan(f), f).toBe(Infinity);
    expect(forwardSpan('time_features')).toBe(1);
    expect(backwardSpan('labels')).toBe(75);
    for (const f of ['bqx', 'time_features', 'technical_bqx', 'reg_bqx']) expect(backwardSpan(f), f).toBe(0);
  });

  it('reads closed and half-open spans as closed bounds in milliseconds', () => {
    expect(parseSpan('["2024-07-01 00:00:00+00","2024-07-07 23:59:00+00"]')).toEqual({
      lo: Date.UTC(2024, 6, 1),
      hi: Date.UTC(2024, 6, 7, 23, 59),
    });
    expect(parseSpan('["2024-07-01 00:00:00+00","2024-08-01 00:00:00+00")')).toEqual({
      lo: Date.UTC(2024, 6, 1),
      hi: Date.UTC(2024, 7, 1) - 1,
    });
    expect(parseSpan('["2024-07-10 10:17:00.5+00","2024-07-10 10:17:00.5+00"]').lo).toBe(Date.UTC(2024, 6, 10, 10, 17, 0, 500));
    expect(() => parseSpan('["2024-07-01 00:00:00+00",)')).toThrow(/unbounded/);
  });
});
