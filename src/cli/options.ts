/** The shared CLI vocabulary: --pair/--pairs, --from/--to (UTC, half-open), --family, --seed, --concurrency. */
import { type Command, Help, type Option } from 'commander';
import { BqxError } from '../db/errors.ts';
import { pairInfo } from '../features/pairs.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Accepts YYYY-MM (month start), YYYY-MM-DD, or a full ISO timestamp; all UTC. Returns epoch ms.
 * The calendar is checked strictly: Date.parse rolls 2024-02-30 over to March 1, and a range the user
 * did not write must never be computed.
 */
export function parseInstant(flag: string, value: string): number {
  const v = value.trim();
  const bad = (why?: string) =>
    new BqxError('BQX_USAGE', `${flag} ${JSON.stringify(value)} is not a date${why ? `: ${why}` : ''}`, {
      hint: `give ${flag} as YYYY-MM, YYYY-MM-DD or an ISO timestamp (UTC), e.g. ${flag} 2024-07-01`,
    });
  const m = /^(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?$/.exec(v);
  if (!m) throw bad();
  const [, y, mo, d, hh, mi, ss, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  if (month < 1 || month > 12) throw bad(`there is no month ${mo}`);
  if (d !== undefined) {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (Number(d) < 1 || Number(d) > days) throw bad(`${MONTHS[month - 1]} ${year} has ${days} days`);
  }
  if (hh !== undefined && (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? 0) > 59))
    throw bad(`${hh}:${mi}${ss ? `:${ss}` : ''} is not a time of day`);
  if (zone && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) throw bad(`${zone} is not a UTC offset`);
  const iso = d === undefined ? `${v}-01T00:00:00Z` : hh === undefined ? `${v}T00:00:00Z` : zone ? v : `${v}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw bad();
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

/**
 * One pair vocabulary for every command: a command that takes `--pairs a,b|all` also takes `--pair P`
 * (the same as `--pairs P`); giving both is a usage error. Commands where one pair is meant (ingest,
 * partitions list and detach) take only `--pair`. Called once per command after registration, so the
 * commands themselves declare only what they read.
 */
export function alignPairOptions(cmd: Command): void {
  const has = (long: string) => cmd.options.some((o: Option) => o.long === long);
  if (has('--pairs') && !has('--pair')) cmd.option('--pair <p>', 'one pair (same as --pairs P)');
}

/** preAction: `--pair P` becomes `--pairs P` wherever a command takes both; both at once is refused. */
export function resolvePairOptions(cmd: Command): void {
  const has = (long: string) => cmd.options.some((o: Option) => o.long === long);
  if (!has('--pairs') || !has('--pair')) return;
  const pair = cmd.getOptionValue('pair') as string | undefined;
  if (pair === undefined) return;
  if (cmd.getOptionValueSource('pairs') === 'cli') {
    throw new BqxError('BQX_USAGE', `give --pair or --pairs, not both (--pair ${pair}, --pairs ${cmd.getOptionValue('pairs')})`, {
      hint: '--pair P is the same as --pairs P; for several pairs use --pairs a,b',
    });
  }
  if (pair.includes(','))
    throw new BqxError('BQX_USAGE', `--pair takes one pair, not ${JSON.stringify(pair)}`, { hint: `use --pairs ${pair}` });
  cmd.setOptionValueWithSource('pairs', pairInfo(pair).pair, 'cli');
}

/** Help settings (inherited by every subcommand) that mark the options a command cannot run without. */
export const HELP_CONFIG = {
  optionDescription(this: Help, option: Option): string {
    const base = Help.prototype.optionDescription.call(this, option);
    return option.mandatory ? `(required) ${base}` : base;
  },
};
