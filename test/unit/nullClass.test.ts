import { describe, expect, it } from 'vitest';
import { FAMILIES, nullClass } from '../../src/features/catalog/index.ts';

describe('the catalog NULL rule (nullClass), shared by bqx verify and the dataset build', () => {
  const cols = FAMILIES.flatMap((f) => f.columns.map((c) => ({ family: f.family, ...c })));

  it('classes every sparse column as sparse, and a sparse column is one whose NULL rule says the data decides', () => {
    const sparse = cols.filter((c) => c.sparse);
    expect(sparse.length).toBeGreaterThan(0);
    for (const c of sparse) expect(nullClass(c), `${c.family}.${c.name}`).toBe('sparse');
    // the wording a sparse column's rule has must also class it as data-dependent without the flag
    for (const c of sparse) expect(nullClass({ nullRule: c.nullRule }), `${c.family}.${c.name}: ${c.nullRule}`).toBe('data');
  });

  it('classes a column by its rule: only warm-up NULLs are warmup, a zero denominator or a missing bid/ask is data', () => {
    expect(nullClass({ nullRule: 'NULL for the first 19 bars of a pair' })).toBe('warmup');
    expect(nullClass({ nullRule: 'NULL when the window is flat (zero variance)' })).toBe('data');
    expect(nullClass({ nullRule: 'NULL without bid/ask' })).toBe('data');
    const warmup = cols.filter((c) => nullClass(c) === 'warmup');
    const data = cols.filter((c) => nullClass(c) === 'data');
    // both classes are populated: a wording change that moved every column into one would show here
    expect(warmup.length).toBeGreaterThan(100);
    expect(data.length).toBeGreaterThan(50);
  });
});
