import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/ingest/bar.ts';
import { validateBar } from '../../src/ingest/validateBar.ts';
import { isMarketOpen, sessionActivity, synthesizeMarket } from '../../src/synth/market.ts';

const FROM = Date.UTC(2024, 6, 1); // Monday
const TO = Date.UTC(2024, 6, 15); // two weeks
const all = [...synthesizeMarket({ seed: 7, from: FROM, to: TO })];
const byPair = new Map<string, Bar[]>();
for (const b of all) (byPair.get(b.pair) ?? byPair.set(b.pair, []).get(b.pair)!).push(b);
const series = (p: string) => byPair.get(p)!;

function corr(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('synthetic market', () => {
  it('is deterministic per seed and per pair, whatever other pairs are asked for', () => {
    const again = [...synthesizeMarket({ seed: 7, from: FROM, to: FROM + 86_400_000, pairs: ['usdjpy', 'eurusd'] })];
    const firstDay = all.filter((b) => b.ts < FROM + 86_400_000 && (b.pair === 'usdjpy' || b.pair === 'eurusd'));
    expect(again).toEqual(firstDay);
    const other = [...synthesizeMarket({ seed: 8, from: FROM, to: FROM + 3_600_000, pairs: ['eurusd'] })];
    expect(other[10].close).not.toBe(series('eurusd')[10].close);
  });

  it('produces only bars that pass ingest validation, on the pip grid of each pair', () => {
    // Plain loops and one assertion each: an expect per bar would dominate the run time.
    const invalid = all.map((b) => validateBar(b, { latestTs: TO })).filter((r) => r !== null);
    expect(invalid).toEqual([]);
    const offGrid = (p: string, scale: number) =>
      series(p).filter((b) =>
        [b.open, b.high, b.low, b.close, b.bid!.close, b.ask!.close].some((v) => Math.abs(v * scale - Math.round(v * scale)) > 1e-6),
      ).length;
    expect(offGrid('usdjpy', 1e3)).toBe(0);
    expect(offGrid('eurusd', 1e5)).toBe(0);
    expect(mean(series('eurusd').map((b) => b.close))).toBeGreaterThan(0.95);
    expect(mean(series('eurusd').map((b) => b.close))).toBeLessThan(1.25);
    expect(mean(series('usdjpy').map((b) => b.close))).toBeGreaterThan(130);
    expect(mean(series('usdjpy').map((b) => b.close))).toBeLessThan(180);
  });

  it('keeps crosses consistent: eurusd x usdjpy = eurjpy within half a spread', () => {
    const ej = new Map(series('eurjpy').map((b) => [b.ts, b]));
    const uj = new Map(series('usdjpy').map((b) => [b.ts, b]));
    let checked = 0;
    let worst = 0;
    for (const eu of series('eurusd')) {
      const a = uj.get(eu.ts);
      const c = ej.get(eu.ts);
      if (!a || !c) continue;
      const spread = c.ask!.close - c.bid!.close;
      worst = Math.max(worst, Math.abs(eu.close * a.close - c.close) / (spread / 2));
      checked++;
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('closes the weekend from Friday 22:00 to Sunday 22:00 UTC and misses about 0.1% of open minutes', () => {
    expect(all.filter((b) => !isMarketOpen(b.ts))).toEqual([]);
    expect(all.filter((b) => new Date(b.ts).getUTCDay() === 6)).toEqual([]);
    expect(all.some((b) => new Date(b.ts).getUTCDay() === 0 && new Date(b.ts).getUTCHours() === 22)).toBe(true);
    let open = 0;
    for (let t = FROM; t < TO; t += 60_000) if (isMarketOpen(t)) open++;
    const missingShare = 1 - all.length / (open * 28);
    expect(missingShare).toBeGreaterThan(0.0003);
    expect(missingShare).toBeLessThan(0.003);
  });

  it('widens spreads at the 21:00-22:00 UTC rollover', () => {
    const sp = (h: (x: number) => boolean) =>
      mean(
        series('eurusd')
          .filter((b) => h(new Date(b.ts).getUTCHours()))
          .map((b) => b.ask!.close - b.bid!.close),
      );
    expect(sp((h) => h === 21)).toBeGreaterThan(2.5 * sp((h) => h >= 8 && h < 17));
  });

  it('shapes volatility by session and clusters it; volume follows |return|', () => {
    const eu = series('eurusd');
    const absRet = eu.slice(1).map((b, i) => Math.abs(Math.log(b.close / eu[i].close)));
    const hours = eu.slice(1).map((b) => new Date(b.ts).getUTCHours());
    const busy = mean(absRet.filter((_, i) => hours[i] >= 13 && hours[i] < 17));
    const quiet = mean(absRet.filter((_, i) => hours[i] === 22 || hours[i] === 23));
    expect(busy).toBeGreaterThan(1.8 * quiet);
    // Clustering beyond the session pattern: deseasonalise |r| by the session activity, average it over
    // 15-minute blocks, and the blocks' lag-1 autocorrelation is clearly positive (about 0 without GARCH).
    const blocks = new Map<number, number[]>();
    eu.slice(1).forEach((b, i) => {
      if (b.ts - eu[i].ts !== 60_000) return;
      const k = Math.floor(b.ts / 900_000);
      (blocks.get(k) ?? blocks.set(k, []).get(k)!).push(absRet[i] / Math.sqrt(sessionActivity(hours[i])));
    });
    const keys = [...blocks.keys()].sort((a, b) => a - b);
    const prev: number[] = [];
    const next: number[] = [];
    for (let i = 1; i < keys.length; i++) {
      if (keys[i] - keys[i - 1] === 1) {
        prev.push(mean(blocks.get(keys[i - 1])!));
        next.push(mean(blocks.get(keys[i])!));
      }
    }
    expect(corr(prev, next)).toBeGreaterThan(0.3);
    const vol = eu.slice(1).map((b) => b.volume!);
    const intrabar = eu.slice(1).map((b) => Math.abs(Math.log(b.close / b.open)));
    expect(corr(intrabar, vol)).toBeGreaterThan(0.3);
  });
});
