/**
 * Row-level validation of a bar (spec section 2 and issue 3): returns the reason it is refused, or null.
 * Pure and synchronous, so every source (file formats, the synthetic market) is held to the same rules.
 */
import { isPair, pairInfo } from '../features/pairs.ts';
import type { Bar, Ohlc } from './bar.ts';

export interface ValidateOptions {
  /** Latest acceptable bar time, epoch ms (now + bqx.settings.max_future). */
  latestTs: number;
  /** Earliest acceptable bar time, epoch ms (bqx.settings.min_ts). */
  earliestTs?: number;
  /** Plausible price band per pair (priceBands); pairs without one get the pip-size band. */
  bands?: ReadonlyMap<string, PriceBand>;
}

/** Prices a pair can plausibly quote at, and where the band comes from (for the message). */
export interface PriceBand {
  lo: number;
  hi: number;
  basis: string;
}

// Volume is a tick count (or Dukascopy's millions of units) per minute: far below this on any feed.
// Squares of a 1e200 volume overflow float8 in the volume features, failing every refresh of the pair.
const MAX_VOLUME = 1e9;

/**
 * Before a pair's baseline is known: a pip is about 1/10,000 of a major's price (0.0001 at 1.08, 0.01 at
 * 150), so pip x [1e3, 1e5] is a tenfold margin either way. Once B is known: B / ratio .. B x ratio
 * (bqx.settings.max_price_ratio; the 28 majors stayed within 2.5x of their 2024 level since 2000).
 * Either way 1e200 and 1e-300 (which overflow every refresh of the pair) and a lost decimal point are out.
 */
export function priceBand(pair: string, baseClose: number | null, ratio: number): PriceBand {
  if (baseClose !== null && baseClose > 0 && Number.isFinite(baseClose) && ratio > 1) {
    return {
      lo: baseClose / ratio,
      hi: baseClose * ratio,
      basis: `within ${ratio}x of its baseline close ${baseClose} (bqx.settings.max_price_ratio)`,
    };
  }
  const pip = pairInfo(pair).pipSize;
  return { lo: pip * 1e3, hi: pip * 1e5, basis: `pip ${pip} x 1e3 .. 1e5, before its baseline is known` };
}

const fallbackBands = new Map<string, PriceBand>();
function bandOf(pair: string, bands: ReadonlyMap<string, PriceBand> | undefined): PriceBand {
  let b = bands?.get(pair) ?? fallbackBands.get(pair);
  if (!b) {
    b = priceBand(pair, null, 0);
    fallbackBands.set(pair, b);
  }
  return b;
}

function bandProblem(prefix: string, o: Ohlc, pair: string, band: PriceBand): string | null {
  // OHLC are consistent by now, so low and high bound the other two.
  if (o.low < band.lo) return `${prefix}low ${o.low} is implausible for ${pair}: below ${band.lo.toPrecision(6)} (${band.basis})`;
  if (o.high > band.hi) return `${prefix}high ${o.high} is implausible for ${pair}: above ${band.hi.toPrecision(6)} (${band.basis})`;
  return null;
}

function priceProblem(label: string, v: number): string | null {
  if (Number.isNaN(v)) return `${label} is NaN`;
  if (!Number.isFinite(v)) return `${label} is infinite`;
  if (v <= 0) return `${label} is ${v}; prices must be positive`;
  return null;
}

function ohlcProblem(prefix: string, o: Ohlc): string | null {
  for (const k of ['open', 'high', 'low', 'close'] as const) {
    const p = priceProblem(`${prefix}${k}`, o[k]);
    if (p) return p;
  }
  if (o.high < o.low) return `${prefix}high ${o.high} < ${prefix}low ${o.low}`;
  if (o.high < Math.max(o.open, o.close)) return `${prefix}high ${o.high} is below ${prefix}open/close`;
  if (o.low > Math.min(o.open, o.close)) return `${prefix}low ${o.low} is above ${prefix}open/close`;
  return null;
}

export function validateBar(b: Bar, opts: ValidateOptions): string | null {
  if (!isPair(b.pair)) return `unknown pair ${JSON.stringify(b.pair)} (use one of the 28 majors, e.g. eurusd)`;
  if (!Number.isFinite(b.ts)) return 'timestamp does not parse';
  if (b.ts % 60_000 !== 0) return `timestamp ${new Date(b.ts).toISOString()} is not on the minute`;
  if (b.ts > opts.latestTs) {
    return `timestamp ${new Date(b.ts).toISOString()} is beyond the allowed future (${new Date(opts.latestTs).toISOString()})`;
  }
  if (opts.earliestTs !== undefined && b.ts < opts.earliestTs) {
    return `timestamp ${new Date(b.ts).toISOString()} is before the earliest allowed instant ${new Date(opts.earliestTs).toISOString()} (bqx.settings.min_ts)`;
  }
  const band = bandOf(b.pair, opts.bands);
  const mid = ohlcProblem('', b) ?? bandProblem('', b, b.pair, band);
  if (mid) return mid;
  if (b.bid) {
    const p = ohlcProblem('bid_', b.bid) ?? bandProblem('bid_', b.bid, b.pair, band);
    if (p) return p;
  }
  if (b.ask) {
    const p = ohlcProblem('ask_', b.ask) ?? bandProblem('ask_', b.ask, b.pair, band);
    if (p) return p;
  }
  if (b.bid && b.ask) {
    for (const k of ['open', 'high', 'low', 'close'] as const) {
      if (b.bid[k] > b.ask[k]) return `bid_${k} ${b.bid[k]} > ask_${k} ${b.ask[k]}`;
    }
  }
  if (b.volume !== null && (!Number.isFinite(b.volume) || b.volume < 0)) return `volume ${b.volume} is not a finite count >= 0`;
  if (b.volume !== null && b.volume > MAX_VOLUME) return `volume ${b.volume} is implausible: above ${MAX_VOLUME} per minute`;
  return null;
}
