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
  if (isPlainDigits(s)) return Number(s);
  const t = s.trim();
  if (PLAIN_DECIMAL.test(t)) return Number(t);
  const lower = t.toLowerCase().replace(/^[+-]/, '');
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === 'infinity') return t.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

/** Fast path for the common case, digits with at most one dot and a sign: a char scan beats a regex. */
function isPlainDigits(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // '-'
  if (i === n) return false;
  let dots = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && dots === 0) dots++;
    else return false;
  }
  return digits > 0;
}
