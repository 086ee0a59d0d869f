import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQL_DIR } from '../../src/db/paths.ts';
import { CROSS_SECTIONAL, FAMILIES, family, nominalFeatureCount, parseFamilyList } from '../../src/features/catalog/index.ts';
import { resolveFeatureSet } from '../../src/pipeline/featureSet.ts';

const count = (f: string) => family(f).columns.length;

describe('feature catalog', () => {
  it('has the spec column counts per family and the plan total: 433 through Phase 2, plus Wave 3', () => {
    expect(count('bqx')).toBe(37);
    expect(count('bollinger_rate')).toBe(10);
    expect(count('bollinger_bqx')).toBe(10);
    expect(count('statistics_rate')).toBe(24);
    expect(count('statistics_bqx')).toBe(24);
    expect(count('technical_rate')).toBe(30);
    expect(count('technical_bqx')).toBe(30);
    expect(count('volume_features')).toBe(70);
    expect(count('spread_features')).toBe(35);
    expect(count('time_features')).toBe(20);
    expect(count('reg_rate')).toBe(90);
    expect(count('reg_bqx')).toBe(90);
    expect(count('labels')).toBe(10);
    expect(count('fibonacci_features')).toBe(20);
    expect(count('correlation_features')).toBe(90);
    // 433 (Phase 2) + fibonacci 20 + correlation 90: the plan's 543 (the cross-sectional tables count none)
    expect(nominalFeatureCount()).toBe(543);
    expect(CROSS_SECTIONAL.map((f) => [f.family, f.countsAsFeature])).toEqual([
      ['currency_strength', false],
      ['cross_returns', false],
    ]);
  });

  it("puts correlation_features in a dataset's --features all, not in the default 159", () => {
    const all = resolveFeatureSet({ features: 'all' });
    expect(all.base).toHaveLength(543);
    expect(all.base.filter((b) => b.family === 'correlation_features').map((b) => b.column)).toEqual(
      family('correlation_features').columns.map((c) => c.name),
    );
    const byDefault = resolveFeatureSet();
    expect(byDefault.base).toHaveLength(159);
    expect(byDefault.families).not.toContain('correlation_features');
  });

  it('marks the 139 default-laggable columns of spec section 7', () => {
    const laggable = FAMILIES.flatMap((f) => f.columns.filter((c) => c.laggable));
    expect(laggable).toHaveLength(139);
    expect(new Set(laggable.map((c) => c.domain))).toEqual(new Set(['rate', 'bqx', 'spread']));
    expect(family('time_features').columns.some((c) => c.laggable)).toBe(false);
  });

  it('names columns uniquely within a family, in lower case, and as the spec spells them', () => {
    for (const f of FAMILIES) {
      const names = f.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    const reg = family('reg_rate').columns.map((c) => c.name);
    expect(reg[0]).toBe('a2_idx_w15');
    expect(family('reg_bqx').columns.at(-1)!.name).toBe('extrapolation_error_bqx_agg');
    expect(family('labels').columns.map((c) => c.name)).toContain('d_bqx_w60_75');
    expect(
      family('technical_bqx')
        .columns.slice(0, 15)
        .map((c) => c.name),
    ).toEqual([
      'rsi_14',
      'rsi_21',
      'macd_line',
      'macd_signal',
      'macd_histogram',
      'stoch_k_14',
      'stoch_d_3',
      'adx_14',
      'plus_di_14',
      'minus_di_14',
      'cci_20',
      'williams_r_14',
      'roc_12',
      'atr_14',
      'atr_pct_14',
    ]);
  });

  it('lists families in dependency order', () => {
    const seen = new Set<string>();
    // a cross-sectional table is available once every family it reads is (it reads all 28 pairs' bqx.m1)
    const ready = (d: string) => seen.has(d) || CROSS_SECTIONAL.some((c) => c.family === d && c.dependsOn.every((x) => seen.has(x)));
    for (const f of FAMILIES) {
      for (const d of f.dependsOn) expect(ready(d), `${f.family} depends on ${d}`).toBe(true);
      seen.add(f.family);
    }
    expect(parseFamilyList('reg_bqx,m1').map((f) => f.family)).toEqual(['m1', 'reg_bqx']);
    expect(() => parseFamilyList('reg_bqx; drop')).toThrow(/unknown family/);
  });

  it("has each family's columns exactly as its own table has them, after every migration", () => {
    // the schema dump (sql/schema/bqx.schema.txt, from a database the migrations built; a test keeps it
    // current) lists each table's columns in order: each family's table is checked alone, so a column of
    // a sibling family with the same name cannot stand in for a missing one
    const dump = fs.readFileSync(path.join(SQL_DIR, 'schema', 'bqx.schema.txt'), 'utf8').split('\n');
    const snapshot = JSON.parse(fs.readFileSync(path.join(SQL_DIR, 'schema', 'catalog.json'), 'utf8')) as {
      families: Array<{ family: string; columns: string[] }>;
    };
    // the snapshot lists families in the order migrations made them (a new one last), the catalog in refresh order
    expect(snapshot.families.map((f) => f.family).sort()).toEqual(FAMILIES.map((f) => f.family).sort());
    for (const f of FAMILIES) {
      const cols = dump.filter((l) => l.startsWith(`column bqx.${f.family} `)).map((l) => l.split(' ').slice(3).join(' '));
      expect(cols, f.family).toEqual([
        'pair text not null',
        'ts_utc timestamp with time zone not null',
        ...f.columns.map(
          (c) => `${c.name} double precision${f.family === 'm1' && ['open', 'high', 'low', 'close'].includes(c.name) ? ' not null' : ''}`,
        ),
      ]);
      expect(snapshot.families.find((x) => x.family === f.family)!.columns, f.family).toEqual(f.columns.map((c) => c.name));
    }
  });
});
