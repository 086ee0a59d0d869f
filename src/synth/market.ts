/**
 * A seeded synthetic FX market: 1-minute bars for any of the 28 pairs, derived from 8 latent currency
 * values so that crosses are consistent (eurusd x usdjpy = eurjpy up to rounding and spread).
 *
 * What makes it realistic enough to test a feature store on:
 * - levels and precision of the real majors (JPY-quoted pairs 3 decimals, others 5);
 * - volatility shaped by the Tokyo / London / New York sessions and clustered (GARCH(1,1) per currency);
 * - weekend closure from Friday 22:00 to Sunday 22:00 UTC, with a gap at the reopen;
 * - occasional missing minutes per pair (missingRate);
 * - bid/ask spreads that vary by pair, widen with volatility and at the 21:00-22:00 UTC rollover;
 * - tick volume that follows the sessions and |return|.
 * The latent walk uses one random stream and each pair its own, seeded by (seed, pair), so the bars of
 * a pair do not depend on which other pairs were asked for.
 */

import { CURRENCIES, PAIR_NAMES, type PairInfo, pairInfo } from '../features/pairs.ts';
import type { Bar } from '../ingest/bar.ts';
import { Prng } from './prng.ts';

export interface SynthOptions {
  seed: number;
  /** Epoch ms, inclusive; truncated to the minute. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  pairs?: readonly string[];
  /** Probability that a pair's bar is missing in an open minute. Default 0.001. */
  missingRate?: number;
}

const MINUTE = 60_000;
const SUBSTEPS = 6;
/** Start values in USD (a unit of each currency), so pair = value(base) / value(quote). */
const START_VALUE: Record<string, number> = { eur: 1.085, gbp: 1.27, aud: 0.665, nzd: 0.605, usd: 1, cad: 0.735, chf: 1.115, jpy: 0.00645 };
/** Per-minute log-volatility of each currency's own shock at a session multiplier of 1. */
const SIGMA: Record<string, number> = {
  eur: 0.9e-4,
  gbp: 1.0e-4,
  aud: 1.2e-4,
  nzd: 1.25e-4,
  usd: 0.8e-4,
  cad: 0.9e-4,
  chf: 1.0e-4,
  jpy: 1.1e-4,
};
// The shock fed back is the mean of six sub-step z^2, less noisy than one z^2, hence a larger alpha.
const GARCH_ALPHA = 0.095;
const GARCH_BETA = 0.9;

/** Friday 22:00 UTC to Sunday 22:00 UTC has no bars. */
export function isMarketOpen(ts: number): boolean {
  const d = new Date(ts);
  const dow = d.getUTCDay();
  const h = d.getUTCHours();
  if (dow === 6) return false;
  if (dow === 5 && h >= 22) return false;
  if (dow === 0 && h < 22) return false;
  return true;
}

/** Activity multiplier by UTC hour: Tokyo, London and New York add up; the rollover hour is thin. */
export function sessionActivity(hour: number): number {
  let m = 0.35;
  if (hour < 9) m += 0.35;
  if (hour >= 8 && hour < 17) m += 0.65;
  if (hour >= 13 && hour < 22) m += 0.55;
  if (hour === 21) m *= 0.5;
  return m;
}

function spreadPips(p: PairInfo): number {
  const usd = p.base === 'usd' || p.quote === 'usd';
  const thin = ['nzd', 'cad', 'chf'].filter((c) => c === p.base || c === p.quote).length;
  return (usd ? 0.7 : 1.6) * (1 + 0.35 * thin);
}

function rolloverFactor(hour: number): number {
  if (hour === 21) return 4;
  if (hour === 22) return 1.8;
  return 1;
}

interface PairState {
  info: PairInfo;
  bi: number;
  qi: number;
  scale: number;
  rng: Prng;
  spread: number;
  volBase: number;
}

export function* synthesizeMarket(opts: SynthOptions): Generator<Bar> {
  // Canonical pair order, so the output does not depend on how the caller listed the pairs.
  const pairs = [...new Set((opts.pairs ?? PAIR_NAMES).map((p) => pairInfo(p).pair))].sort().map((p) => pairInfo(p));
  const missingRate = opts.missingRate ?? 0.001;
  const nC = CURRENCIES.length;
  const latent = new Prng(opts.seed, 'latent');
  const logV = new Float64Array(nC);
  const h = new Float64Array(nC).fill(1);
  CURRENCIES.forEach((c, i) => {
    logV[i] = Math.log(START_VALUE[c]);
  });
  const sigma = Float64Array.from(CURRENCIES, (c) => SIGMA[c]);
  // path[k * nC + c] = value of currency c at substep k of the current minute
  const path = new Float64Array((SUBSTEPS + 1) * nC);

  const states: PairState[] = pairs.map((info) => ({
    info,
    bi: CURRENCIES.indexOf(info.base),
    qi: CURRENCIES.indexOf(info.quote),
    scale: 10 ** info.priceDecimals,
    rng: new Prng(opts.seed, info.pair),
    spread: spreadPips(info) * info.pipSize,
    volBase: 40 + 60 * (info.base === 'eur' || info.quote === 'usd' ? 1 : 0.5),
  }));

  let closed = false;
  for (let ts = Math.floor(opts.from / MINUTE) * MINUTE; ts < opts.to; ts += MINUTE) {
    if (!isMarketOpen(ts)) {
      closed = true;
      continue;
    }
    const hour = new Date(ts).getUTCHours();
    const act = sessionActivity(hour);
    if (closed) {
      // Weekend news moves the reopen: a gap of ~15 minutes' worth of volatility.
      for (let c = 0; c < nC; c++) logV[c] += 15 * sigma[c] * latent.gauss();
      closed = false;
    }
    for (let c = 0; c < nC; c++) path[c] = Math.exp(logV[c]);
    let meanH = 0;
    for (let c = 0; c < nC; c++) {
      const sd = sigma[c] * Math.sqrt((act * h[c]) / SUBSTEPS);
      let z2 = 0;
      for (let k = 1; k <= SUBSTEPS; k++) {
        const z = latent.gauss();
        z2 += z * z;
        logV[c] += sd * z;
        path[k * nC + c] = Math.exp(logV[c]);
      }
      // GARCH(1,1) on the minute's standardised shock: unit long-run variance, clustered bursts.
      // The squared shock is h * z^2 (z standard normal), so a large move raises the next minute's variance.
      h[c] = 1 - GARCH_ALPHA - GARCH_BETA + GARCH_ALPHA * h[c] * (z2 / SUBSTEPS) + GARCH_BETA * h[c];
      meanH += h[c] / nC;
    }

    for (const s of states) {
      let hiT = -Infinity;
      let loT = Infinity;
      let openT = 0;
      let closeT = 0;
      for (let k = 0; k <= SUBSTEPS; k++) {
        const t = Math.round((path[k * nC + s.bi] / path[k * nC + s.qi]) * s.scale);
        if (k === 0) openT = t;
        if (k === SUBSTEPS) closeT = t;
        if (t > hiT) hiT = t;
        if (t < loT) loT = t;
      }
      // Draw everything for this pair-minute before deciding it is missing, so the stream stays aligned.
      const spreadNoise = Math.exp(0.15 * s.rng.gauss());
      const volNoise = s.rng.gauss();
      const missing = s.rng.next() < missingRate;
      if (missing) continue;

      const spread = s.spread * rolloverFactor(hour) * (0.75 + 0.25 * Math.sqrt(meanH)) * spreadNoise;
      const half = Math.max(1, Math.ceil((spread / 2) * s.scale));
      const ret = Math.abs(Math.log(closeT / openT));
      const expected = Math.hypot(sigma[s.bi], sigma[s.qi]) * Math.sqrt(act);
      const lambda = s.volBase * act * (0.4 + 0.6 * Math.min(ret / expected, 8));
      const volume = Math.max(1, Math.round(lambda + Math.sqrt(lambda) * volNoise));
      const px = (t: number) => t / s.scale;
      yield {
        pair: s.info.pair,
        ts,
        open: px(openT),
        high: px(hiT),
        low: px(loT),
        close: px(closeT),
        bid: { open: px(openT - half), high: px(hiT - half), low: px(loT - half), close: px(closeT - half) },
        ask: { open: px(openT + half), high: px(hiT + half), low: px(loT + half), close: px(closeT + half) },
        volume,
      };
    }
  }
}
