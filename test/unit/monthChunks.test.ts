import { expect, it } from 'vitest';
import { monthChunks } from '../../src/runner/monthChunks.ts';

const iso = (c: Array<[number, number]>) => c.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]);

it('cuts a range at the UTC month starts inside it, covering it exactly', () => {
  expect(iso(monthChunks(Date.UTC(2024, 6, 15, 12, 30), Date.UTC(2024, 9, 1)))).toEqual([
    ['2024-07-15T12:30:00.000Z', '2024-08-01T00:00:00.000Z'],
    ['2024-08-01T00:00:00.000Z', '2024-09-01T00:00:00.000Z'],
    ['2024-09-01T00:00:00.000Z', '2024-10-01T00:00:00.000Z'],
  ]);
  // across a year end, ending mid-month
  expect(iso(monthChunks(Date.UTC(2024, 11, 1), Date.UTC(2025, 0, 3)))).toEqual([
    ['2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['2025-01-01T00:00:00.000Z', '2025-01-03T00:00:00.000Z'],
  ]);
  // inside one month: the range itself; empty: nothing
  expect(iso(monthChunks(Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 4)))).toEqual([['2024-07-01T00:00:00.000Z', '2024-07-04T00:00:00.000Z']]);
  expect(monthChunks(Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 1))).toEqual([]);
});
