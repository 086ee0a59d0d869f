/**
 * The 28 major pairs (spec section 1): every pair of the eight majors, base chosen by priority.
 * This list is the single source for bqx.pairs (seeded by the schema migration) and for the
 * TypeScript-side validation of pair names before anything reaches SQL.
 */
import { BqxError } from '../db/errors.ts';

/** Currencies in base priority order: EUR > GBP > AUD > NZD > USD > CAD > CHF > JPY. */
export const CURRENCIES = ['eur', 'gbp', 'aud', 'nzd', 'usd', 'cad', 'chf', 'jpy'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface PairInfo {
  pair: string;
  base: Currency;
  quote: Currency;
  /** One pip in price units: 0.01 for JPY-quoted pairs, 0.0001 otherwise. */
  pipSize: number;
  /** Decimals a quote carries (a fractional pip): 3 for JPY-quoted pairs, 5 otherwise. */
  priceDecimals: number;
}

function buildPairs(): PairInfo[] {
  const out: PairInfo[] = [];
  for (let i = 0; i < CURRENCIES.length; i++) {
    for (let j = i + 1; j < CURRENCIES.length; j++) {
      const base = CURRENCIES[i];
      const quote = CURRENCIES[j];
      const jpy = quote === 'jpy';
      out.push({ pair: base + quote, base, quote, pipSize: jpy ? 0.01 : 0.0001, priceDecimals: jpy ? 3 : 5 });
    }
  }
  return out.sort((a, b) => a.pair.localeCompare(b.pair));
}

export const PAIRS: readonly PairInfo[] = Object.freeze(buildPairs());
export const PAIR_NAMES: readonly string[] = Object.freeze(PAIRS.map((p) => p.pair));
const BY_NAME = new Map(PAIRS.map((p) => [p.pair, p]));

export function isPair(name: string): boolean {
  return BY_NAME.has(name);
}

/** Returns the pair's info or throws BQX_UNKNOWN_PAIR naming the input. Accepts EUR_USD, EUR/USD, EURUSD. */
export function pairInfo(name: string): PairInfo {
  const info = BY_NAME.get(normalizePair(name));
  if (!info) {
    throw new BqxError('BQX_UNKNOWN_PAIR', `unknown pair ${JSON.stringify(name)}`, {
      hint: `use one of the 28 majors in lower case, e.g. eurusd; the list: ${PAIR_NAMES.join(' ')}`,
    });
  }
  return info;
}

/** Folds the common spellings (EUR_USD, EUR/USD, eur-usd) to the store's lower-case form. */
export function normalizePair(name: string): string {
  const folded = name.trim().toLowerCase().replace(/[_/-]/g, '');
  return /^[a-z]{6}$/.test(folded) ? folded : name;
}

/** Parses `--pairs a,b|all` into validated pair names, in the store's order, without duplicates. */
export function parsePairList(spec: string | undefined): string[] {
  if (spec === undefined || spec.trim() === '' || spec.trim().toLowerCase() === 'all') return [...PAIR_NAMES];
  const names = spec.split(',').map((s) => pairInfo(s).pair);
  return PAIR_NAMES.filter((p) => names.includes(p));
}
