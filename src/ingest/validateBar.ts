/**
 * Row-level validation of a bar (spec section 2 and issue 3): returns the reason it is refused, or null.
 * Pure and synchronous, so every source (file formats, the synthetic market) is held to the same rules.
 */
import { isPair } from '../features/pairs.ts';
import type { Bar, Ohlc } from './bar.ts';

export interface ValidateOptions {
  /** Latest acceptable bar time, epoch ms (now + bqx.settings.max_future). */
  latestTs: number;
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
  const mid = ohlcProblem('', b);
  if (mid) return mid;
  if (b.bid) { const p = ohlcProblem('bid_', b.bid); if (p) return p; }
  if (b.ask) { const p = ohlcProblem('ask_', b.ask); if (p) return p; }
  if (b.bid && b.ask) {
    for (const k of ['open', 'high', 'low', 'close'] as const) {
      if (b.bid[k] > b.ask[k]) return `bid_${k} ${b.bid[k]} > ask_${k} ${b.ask[k]}`;
    }
  }
  if (b.volume !== null && (!Number.isFinite(b.volume) || b.volume < 0)) return `volume ${b.volume} is not a finite count >= 0`;
  return null;
}
