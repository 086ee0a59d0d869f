/**
 * Timestamp and number parsing that never depends on the machine's locale or time zone: a timestamp
 * without a zone designator is UTC (Date.parse would read it as local time).
 */
const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function parseUtcTimestamp(s: string): number {
  // Fast path: the exact form Date.prototype.toISOString writes (what bqx synth and most exports emit).
  if (s.length === 24 && ISO_MS_Z.test(s)) return Date.parse(s);
  const t = s.trim();
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(t)) return NaN;
  let iso = t.replace(' ', 'T');
  // V8 parses at most millisecond precision reliably; OANDA sends nanoseconds.
  iso = iso.replace(/(\.\d{3})\d+/, '$1');
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += 'Z';
  return Date.parse(iso);
}

const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A strict decimal number: '' , '1,5', '0x10' and '1e' are NaN (Number() would accept or mangle some);
 * 'NaN', 'inf', 'Infinity' parse to themselves so validation can name them.
 */
export function parseDecimal(s: string | undefined): number {
  if (s === undefined) return NaN;
  const fast = fastDecimal(s);
  if (fast === fast) return fast; // not NaN
  const t = s.trim();
  if (PLAIN_DECIMAL.test(t)) return Number(t);
  const lower = t.toLowerCase().replace(/^[+-]/, '');
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === 'infinity') return t.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Fast path for plain decimals (optional '-', digits, at most one '.'), the form every price file uses.
 * Exact: with an integer mantissa below 2^53 and at most 22 decimals, mantissa / 10^k is one correctly
 * rounded IEEE division, the same double Number() returns (Clinger's fast path). Anything else -> NaN,
 * and the caller takes the general route.
 */
function fastDecimal(s: string): number {
  const n = s.length;
  if (n === 0 || n > 17) return NaN;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) { neg = true; i = 1; }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) { mant = mant * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
    else if (c === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = frac > 0 ? mant / POW10[frac] : mant;
  return neg ? -v : v;
}
