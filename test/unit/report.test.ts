/**
 * The dataset report for a data scientist (issue 22 item 7), read back from the HTML and its SVG: every
 * chart has axis titles with units and tick labels, horizons print as integers, each family's missing
 * share names its worst column, value labels never cross the criterion line, and the chart of the
 * baseline's test predictions against the actual change has a point per bar of the stretch.
 */
import { describe, expect, it } from 'vitest';
import type { BaselineResult } from '../../src/pipeline/baseline.ts';
import { ticks } from '../../src/pipeline/report/svgCharts.ts';
import { missingByFamily, type ReportInput, renderHtml } from '../../src/pipeline/report.ts';

const HORIZONS = [15, 30, 45, 60];
const STRETCH = 200;

/** A report input as a build of 2 pairs, 3 families and 4 horizons produces it (values chosen by hand). */
function input(): ReportInput {
  const base = [
    { name: 'rate_mean_20', family: 'statistics_rate', column: 'mean_20', sparse: false },
    { name: 'rate_skew_50', family: 'statistics_rate', column: 'skew_50', sparse: false },
    { name: 'spread_z_60', family: 'spread_features', column: 'spread_z_60', sparse: false },
    { name: 'roll_cost_60', family: 'spread_features', column: 'roll_cost_60', sparse: true },
    { name: 'vwap_dev_30', family: 'volume_features', column: 'vwap_dev_30', sparse: false },
  ];
  const missing = (p: number) => ({
    rate_mean_20: 0,
    rate_skew_50: 0.0004 * p,
    spread_z_60: 0.001,
    roll_cost_60: 0.35 + 0.1 * p,
    vwap_dev_30: 0.002 * p,
  });
  const files = { train: { rows: 7000 }, validation: { rows: 1500 }, test: { rows: 1500 } };
  const stretch = (h: number) => {
    const actual = Array.from({ length: STRETCH }, (_, i) => Math.sin(i / 9) * 0.002 * (h / 15));
    return { pair: 'eurusd', horizon: h, actual, predicted: actual.map((v, i) => 0.6 * v + (i % 7) * 1e-5) };
  };
  const baseline: BaselineResult = {
    model: 'ridge',
    features: base.map((b) => b.name),
    scaler: [],
    fitRows: 7000,
    // small values next to the criterion (0.1): 0.004, 0.098, 0.102 must stay legible
    horizons: HORIZONS.map((h, i) => ({
      horizon: h,
      lambda: 1,
      validationR2: 0.2,
      r2Change: [0.004, 0.098, 0.102, 0.31][i],
      r2Level: 0.95 - i * 0.1,
      persistenceR2Change: 0,
      persistenceR2Level: 0.9 - i * 0.1,
      testRows: 3000,
    })),
    testStretch: HORIZONS.map(stretch),
    seconds: 1,
  };
  return {
    manifest: {
      range: { from: '2024-07-01T00:00:00.000Z', to: '2024-08-01T00:00:00.000Z' },
      pairs: ['eurusd', 'usdjpy'],
      features: { count: 20, families: ['statistics_rate', 'spread_features', 'volume_features'], lags: [60, 120, 180] },
      versions: { bqxStore: '0.1.0', git: 'abcdef1234567', postgres: '15.2', duckdb: '1.5' },
      leakage: {
        eurusd: { featureReach: { sampledRows: 10 }, recomputed: true },
        usdjpy: { featureReach: { sampledRows: 10 }, recomputed: true },
      },
      rows: { eurusd: { train: 7000, validation: 1500, test: 1500 }, usdjpy: { train: 7000, validation: 1500, test: 1500 } },
      split: { validationFrom: '2024-07-22T00:00:00.000Z', testFrom: '2024-07-27T00:00:00.000Z', purgeBars: 60 },
    },
    featureSet: { families: ['statistics_rate', 'spread_features', 'volume_features'], base, horizons: HORIZONS },
    pairs: ['eurusd', 'usdjpy'].map((pair, p) => ({ pair, seconds: 2, files, validation: { gaps: 0, missing: missing(p) } })),
    selection: {
      ranking: base.map((b, i) => ({ feature: b.name, impurity: 0.4 / (i + 1), permutation: i === 4 ? undefined : 0.001 / (i + 1) })),
      forest: { trees: 10, maxDepth: 6, bins: 64, maxFeatures: 0.333 },
      trainRows: 7000,
      target: 'd_bqx_w60_60',
      validationRows: 1500,
      validationR2: 0.12,
      stability: { groups: 5, treesPerGroup: 2, spearman: 0.8, jaccardTopN: 0.7 },
      selected: base.map((b) => b.name),
    },
    baseline,
    seconds: 12.5,
  } as unknown as ReportInput;
}

const svgs = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
const texts = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<text [^>]*class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);
const attr = (tag: string, name: string) => Number(new RegExp(`${name}="([-0-9.]+)"`).exec(tag)![1]);

describe('the dataset report', () => {
  const html = renderHtml(input());
  const charts = svgs(html);

  it('gives every chart axis titles with units, and tick labels', () => {
    expect(charts).toHaveLength(4);
    for (const svg of charts) {
      const x = texts(svg, 'axis-title x');
      const y = texts(svg, 'axis-title y');
      expect(x).toHaveLength(1);
      expect(y).toHaveLength(1);
      expect(x[0].length).toBeGreaterThan(5);
      expect(svg).toMatch(/class="axis x"/);
      expect(texts(svg, 'tick').length + texts(svg, 'tick x').length + texts(svg, 'tick y').length).toBeGreaterThanOrEqual(3);
    }
    expect(texts(charts[0], 'axis-title x')[0]).toMatch(/R² .*unitless/);
    expect(texts(charts[0], 'axis-title y')[0]).toMatch(/minutes/);
    expect(texts(charts[2], 'axis-title x')[0]).toMatch(/% of rows/);
    expect(texts(charts[3], 'axis-title x')[0]).toMatch(/1 bar = 1 minute/);
    expect(texts(charts[3], 'axis-title y')[0]).toMatch(/d_bqx_w60_60 .*units/);
  });

  it('prints horizons as integers', () => {
    expect(html).not.toMatch(/15\.000|30\.000|45\.000|60\.000/);
    expect(texts(charts[0], 'category')).toEqual(HORIZONS.flatMap((h) => [`h = ${h} min, level (lead)`, `h = ${h} min, change (d)`]));
    const baselineRows = [
      ...html
        .split('<h2>Baseline')[1]
        .split('</table>')[0]
        .matchAll(/<tr><td>([^<]*)<\/td>/g),
    ].map((m) => m[1]);
    expect(baselineRows).toEqual(HORIZONS.map(String));
    expect(html).toMatch(/horizons 15, 30, 45, 60 minutes/);
  });

  it("names each family's worst column next to its missing share", () => {
    const inp = input();
    const m = missingByFamily(inp.featureSet, inp.pairs);
    // independent: the largest share over pairs and columns, per family
    expect(m.map((x) => [x.family, x.worstColumn, x.worstPair])).toEqual([
      ['statistics_rate', 'rate_skew_50', 'usdjpy'],
      ['spread_features', 'roll_cost_60', 'usdjpy'],
      ['volume_features', 'vwap_dev_30', 'usdjpy'],
    ]);
    expect(m[1].max).toBeCloseTo(0.45, 12);
    expect(texts(charts[2], 'category')).toEqual([
      'statistics_rate (worst: rate_skew_50)',
      'spread_features (worst: roll_cost_60)',
      'volume_features (worst: vwap_dev_30)',
    ]);
    // the shares print as percentages, the small ones too
    expect(texts(charts[2], 'value')).toContain('45%');
    expect(texts(charts[2], 'value')).toContain('0.04%');
    expect(html).toMatch(/<td>spread_features<\/td><td>[^<]*<\/td><td><code>roll_cost_60<\/code><\/td><td>usdjpy<\/td><td>45%<\/td>/);
  });

  it('keeps value labels off the criterion line', () => {
    const svg = charts[0];
    const marker = /<line [^>]*class="marker"[^>]*>/.exec(svg)![0];
    const mx = attr(marker, 'data-x');
    const labels = [...svg.matchAll(/<text [^>]*class="value"[^>]*>[^<]*<\/text>/g)].map((m) => m[0]);
    expect(labels).toHaveLength(HORIZONS.length * 2 * 2);
    for (const l of labels) {
      const x = attr(l, 'x');
      const w = attr(l, 'data-width');
      expect(x > mx + 1 || x + w < mx - 1, l).toBe(true);
    }
  });

  it("plots the baseline's predictions against the actual change on a test stretch", () => {
    const svg = charts[3];
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));
    expect(lines).toHaveLength(2);
    for (const pts of lines) {
      expect(pts).toHaveLength(STRETCH);
      for (const [x, y] of pts) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
      // time runs left to right
      for (let i = 1; i < pts.length; i++) expect(pts[i][0]).toBeGreaterThan(pts[i - 1][0]);
    }
    // the prediction is 0.6 x the actual (plus a little): its line spans less height
    const spread = (pts: number[][]) => Math.max(...pts.map((p) => p[1])) - Math.min(...pts.map((p) => p[1]));
    expect(spread(lines[1])).toBeLessThan(spread(lines[0]));
    expect(svg).toMatch(/h = 60 min, first 200 test bars of eurusd/);
  });

  it('chooses round ticks that cover the range', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(-0.05, 0.31)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(ticks(-0.2, 0.31)).toEqual([-0.2, 0, 0.2]);
    expect(ticks(0, 0.45)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
  });
});
