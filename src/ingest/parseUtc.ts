/**
 * Timestamp and number parsing that never depends on the machine's locale or time zone: a timestamp
 * without a zone designator is UTC (Date.parse would read it as local time).
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))?$/i;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of a UTC calendar instant, or NaN when a field is out of range: Date.UTC and Date.parse roll
 * 2024-02-30 over to March 1 and 24:00 to the next day, which would store a plausible bar at the wrong time.
 * Every format's timestamps go through here. No leap seconds (no FX feed stamps a bar at :60).
 */
export function utcFromParts(y: number, mo: number, d: number, h: number, mi: number, s = 0, ms = 0): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59 && ms >= 0 && ms <= 999)) return NaN;
  const leap = mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  if (d > DAYS[mo - 1] + (leap ? 1 : 0)) return NaN;
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC reads years 0..99 as 1900..1999; such a bar must be refused as year 1, not stored as 1901
  const dt = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  dt.setUTCFullYear(y);
  return dt.getTime();
}

/** A UTC offset in ms from its sign, hours and minutes, or NaN beyond the +-14:00 that time zones span. */
export function offsetMs(sign: string, hh: string, mm: string): number {
  const h = +hh,
    m = +mm;
  if (h > 14 || m > 59 || (h === 14 && m > 0)) return NaN;
  return (sign === '-' ? -1 : 1) * (h * 3600_000 + m * 60_000);
}

/** ISO 8601 (T or space; seconds and fraction optional; Z, +hh:mm or +hhmm; none = UTC), strictly. */
export function parseUtcTimestamp(s: string): number {
  const m = ISO.exec(s) ?? ISO.exec(s.trim());
  if (!m) return NaN;
  // Fractions beyond milliseconds (OANDA sends nanoseconds) are cut, not rounded: a bar is on the minute or not.
  const ms = m[7] ? +m[7].slice(0, 3).padEnd(3, '0') : 0;
  const base = utcFromParts(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, ms);
  if (!m[8] || m[8].toUpperCase() === 'Z') return base;
  return base - offsetMs(m[9], m[10], m[11]);
}

const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A strict decimal number: '' , '1,5', '0x10' and '1e' are NaN (Number() would accept or mangle some);
 * 'NaN', 'inf', 'Infinity' parse to themselves so validation can name them.
 */
export function parseDecimal(s: string | undefined): number {
  if (s === undefined) return NaN;
  const fast = fastDecimal(s);
  if (!Number.isNaN(fast)) return fast;
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
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = frac > 0 ? mant / POW10[frac] : mant;
  return neg ? -v : v;
}
