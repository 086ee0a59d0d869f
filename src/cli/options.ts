/** The shared CLI vocabulary: --pairs, --from/--to (UTC, half-open), --family, --seed, --concurrency. */
import { BqxError } from '../db/errors.ts';

/** Accepts YYYY-MM (month start), YYYY-MM-DD, or a full ISO timestamp; all UTC. Returns epoch ms. */
export function parseInstant(flag: string, value: string): number {
  const v = value.trim();
  let ms = NaN;
  if (/^\d{4}-\d{2}$/.test(v)) ms = Date.parse(`${v}-01T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) ms = Date.parse(`${v}T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.test(v)) ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v}Z`);
  if (Number.isNaN(ms)) {
    throw new BqxError('BQX_USAGE', `${flag} ${JSON.stringify(value)} is not a date`, {
      hint: `give ${flag} as YYYY-MM, YYYY-MM-DD or an ISO timestamp (UTC)`,
    });
  }
  return ms;
}

export interface Range {
  from: number;
  to: number;
}

export function parseRange(from: string | undefined, to: string | undefined, defaults?: Range): Range {
  if ((from === undefined || to === undefined) && !defaults) {
    throw new BqxError('BQX_USAGE', 'this command needs --from and --to', { hint: 'e.g. --from 2024-07 --to 2024-08 (half-open, UTC)' });
  }
  const r = {
    from: from === undefined ? defaults!.from : parseInstant('--from', from),
    to: to === undefined ? defaults!.to : parseInstant('--to', to),
  };
  if (r.to <= r.from) {
    throw new BqxError('BQX_BAD_RANGE', `--to ${new Date(r.to).toISOString()} is not after --from ${new Date(r.from).toISOString()}`, {
      hint: 'the range is half-open [from, to): --to must be later than --from',
    });
  }
  return r;
}

export function parseIntOption(flag: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new BqxError('BQX_USAGE', `${flag} ${JSON.stringify(value)} is not a whole number >= ${min}`, { hint: `pass ${flag} ${min}` });
  }
  return n;
}
