/** The `at` of a request: an ISO 8601 instant (no zone means UTC), or now when absent. */
import { BqxError } from '../db/errors.ts';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseAt(value: string | undefined, now = () => new Date()): Date {
  if (value === undefined || value === '') return now();
  const v = value.trim();
  let ms = NaN;
  if (ISO.test(v)) {
    const withTime = v.length === 10 ? `${v}T00:00:00` : v.replace(/(\.\d{3})\d+/, '$1');
    ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(withTime) ? withTime : `${withTime}Z`);
  }
  if (Number.isNaN(ms)) {
    throw new BqxError('BQX_BAD_RANGE', `at=${JSON.stringify(value)} is not an ISO 8601 instant`, {
      hint: 'e.g. at=2024-07-03T10:00:30Z (no zone means UTC); leave it out for now',
    });
  }
  return new Date(ms);
}

/** `features=a,b` as a list, or null for every feature. */
export function parseFeatureList(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  return [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}
