/** sql/ files are applied dependencies first: a view over views comes after the views it reads. */
import { describe, expect, it } from 'vitest';
import { readSqlFiles } from '../../src/db/sqlFiles.ts';
import { PAIR_NAMES } from '../../src/features/pairs.ts';

describe('readSqlFiles', () => {
  it('puts every pair view before bqx.features and each lagged view, and keeps name order otherwise', () => {
    const order = readSqlFiles().map((f) => f.objectName);
    const at = (n: string) => {
      const i = order.indexOf(n);
      expect(i, n).toBeGreaterThanOrEqual(0);
      return i;
    };
    for (const p of PAIR_NAMES) {
      expect(at(`bqx.features_${p}`)).toBeLessThan(at('bqx.features'));
      expect(at(`bqx.features_${p}`)).toBeLessThan(at(`bqx.lagged_features_${p}`));
    }
    // Functions have no view dependencies: they stay in name order.
    const fns = readSqlFiles()
      .filter((f) => f.kind === 'function')
      .map((f) => f.path);
    expect(fns).toEqual([...fns].sort());
    expect(new Set(order).size).toBe(order.length);
  });
});
