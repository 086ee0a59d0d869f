/**
 * TechnicalCalculator without a database: TA-Lib's zero-denominator cases on a series flat from its
 * start (NULL where TA-Lib returns 0, ADX holding its value), agreement with the batch reference, and a
 * cross-check against technicalindicators where the library is exact, with its RSI rounding trap shown.
 */
import { CCI, RSI, SMA, WilliamsR } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { family } from '../../src/features/catalog/index.ts';
import { TechnicalCalculator } from '../../src/features/technical/TechnicalCalculator.ts';
import { compareRows } from '../support/reference/compare.ts';
import { technicalReference } from '../support/reference/technicalReference.ts';

const NAMES = family('technical_rate').columns.map((c) => c.name);

/** A seeded random walk on a 0.001 tick grid around 100, flat for its first `flat` bars. */
function walk(n: number, flat: number, seed = 7) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  let c = 100;
  return Array.from({ length: n }, (_, i) => {
    if (i >= flat) c = Math.round((c + (rnd() - 0.5) * 0.05) * 1000) / 1000;
    const h = i >= flat ? Math.round((c + rnd() * 0.02) * 1000) / 1000 : c;
    const l = i >= flat ? Math.round((c - rnd() * 0.02) * 1000) / 1000 : c;
    return { h, l, c, v: 1 + Math.floor(rnd() * 100) };
  });
}

function run(bars: ReturnType<typeof walk>) {
  const calc = new TechnicalCalculator('rate');
  return bars.map((b) =>
    Object.fromEntries(calc.next({ high: b.h, low: b.l, close: b.c, volume: b.v }).map((v, i) => [NAMES[i], v] as const)),
  );
}

describe('TechnicalCalculator', () => {
  it('matches the batch TA-Lib reference bar by bar, within 1e-9', () => {
    const bars = walk(3000, 0);
    expect(compareRows(run(bars), technicalReference(bars, 'rate'), NAMES, { rel: 1e-9 })).toEqual([]);
  });

  it('stores NULL where TA-Lib returns 0 on a series flat since its start, and ADX holds its value', () => {
    const bars = walk(200, 60);
    const r = run(bars);
    for (const i of [20, 40, 59]) {
      for (const c of ['rsi_14', 'plus_di_14', 'minus_di_14', 'stoch_k_14', 'williams_r_14', 'cci_20'])
        expect(r[i][c], `${c}@${i}`).toBeNull();
      expect(r[i].atr_14).toBe(0);
    }
    // ADX: its first value (bar 27) averages no DX at all, then holds while TR stays 0
    expect(r[27].adx_14).toBe(0);
    expect(r[59].adx_14).toBe(0);
    expect(r[61].rsi_14).not.toBeNull();
    expect(r[199].adx_14).toBeGreaterThan(0);
    expect(compareRows(r, technicalReference(bars, 'rate'), NAMES, { rel: 1e-9 })).toEqual([]);
  });

  it('agrees with technicalindicators where that library is exact, and shows its RSI rounding', () => {
    const bars = walk(1500, 0, 3);
    const r = run(bars);
    const high = bars.map((b) => b.h);
    const low = bars.map((b) => b.l);
    const close = bars.map((b) => b.c);
    const tail = <T>(xs: T[], n: number) => xs.slice(xs.length - n);
    const check = (lib: number[], col: string, tol: number) => {
      const ours = tail(
        r.map((x) => x[col] as number),
        lib.length,
      );
      lib.forEach((v, i) => void expect(Math.abs(v - ours[i]), `${col}[${i}]`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))));
    };
    check(SMA.calculate({ period: 20, values: close }), 'sma_20', 1e-12);
    check(WilliamsR.calculate({ period: 14, high, low, close }), 'williams_r_14', 1e-9);
    check(CCI.calculate({ period: 20, high, low, close }), 'cci_20', 1e-9);
    // the library's RSI is the same Wilder RSI rounded to 2 decimals: the reason the store computes its own
    const libRsi = RSI.calculate({ period: 14, values: close });
    expect(libRsi.every((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6)).toBe(true);
    expect(
      libRsi.some(
        (v, i) =>
          v !==
          tail(
            r.map((x) => x.rsi_14 as number),
            libRsi.length,
          )[i],
      ),
    ).toBe(true);
    check(libRsi, 'rsi_14', 0.005 + 1e-9);
  });
});
