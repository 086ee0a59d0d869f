/**
 * Loads bqx.holidays from date-holidays (US federal, England and Wales bank holidays, Japanese public
 * holidays) for HOLIDAY_FIRST_YEAR up to this year + HOLIDAY_YEARS_AHEAD. Run by every migrate, so the
 * horizon moves forward with time; a repeated sync changes nothing.
 */
import Holidays from 'date-holidays';
import type pg from 'pg';
import { loadSql } from './loadSql.ts';

export const HOLIDAY_FIRST_YEAR = 2000;
export const HOLIDAY_YEARS_AHEAD = 10;

/** Country code in bqx.holidays, and the date-holidays arguments for it. */
export const HOLIDAY_MARKETS: Array<{ country: string; code: string; state?: string }> = [
  { country: 'US', code: 'US' },
  { country: 'UK', code: 'GB', state: 'ENG' },
  { country: 'JP', code: 'JP' },
];

export interface HolidayRow {
  country: string;
  day: string;
  name: string;
}

/** The public holidays of the markets for the years given (local calendar dates, YYYY-MM-DD). */
export function holidayRows(firstYear: number, lastYear: number): HolidayRow[] {
  const out = new Map<string, HolidayRow>();
  for (const m of HOLIDAY_MARKETS) {
    const hd = m.state ? new Holidays(m.code, m.state) : new Holidays(m.code);
    for (let y = firstYear; y <= lastYear; y++) {
      for (const h of hd.getHolidays(y)) {
        // 'public' (and 'bank' where a rule set uses it) close the market; observances do not
        if (h.type !== 'public' && h.type !== 'bank') continue;
        const day = h.date.slice(0, 10);
        const key = `${m.country}:${day}`;
        // two names on one day (a substitute holiday) keep the first
        if (!out.has(key)) out.set(key, { country: m.country, day, name: h.name });
      }
    }
  }
  return [...out.values()];
}

export async function syncHolidays(client: pg.ClientBase, now = new Date()): Promise<number> {
  const last = now.getUTCFullYear() + HOLIDAY_YEARS_AHEAD;
  const rows = holidayRows(HOLIDAY_FIRST_YEAR, last);
  const res = await client.query<{ changed: number }>(loadSql(import.meta.url, 'sql/sync_holidays.sql'), [
    JSON.stringify(rows),
    HOLIDAY_FIRST_YEAR,
    last,
  ]);
  return res.rows[0].changed;
}
