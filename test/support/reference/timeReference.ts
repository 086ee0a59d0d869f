/**
 * Independent reference for time_features: UTC calendar arithmetic in plain TypeScript, holidays straight
 * from date-holidays (not from the database), sessions as the catalog states them.
 */
import Holidays from 'date-holidays';
import type { Row } from './bqxReference.ts';

const SESSIONS: Array<[number, number]> = [
  [0, 540],
  [480, 1020],
  [780, 1320],
]; // Tokyo, London, New York

function holidaySet(args: string[], years: number[]): string[] {
  const hd = args[1] ? new Holidays(args[0], args[1]) : new Holidays(args[0]);
  return years
    .flatMap((y) =>
      hd
        .getHolidays(y)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    )
    .sort();
}

const DAY = 86_400_000;

export function timeReference(ts: Date[]): Row[] {
  const years = [...new Set(ts.map((d) => d.getUTCFullYear()))];
  const span = [Math.min(...years), Math.max(...years) + 1];
  const ys = Array.from({ length: span[1] - span[0] + 1 }, (_, i) => span[0] + i);
  const cal = { us: holidaySet(['US'], ys), uk: holidaySet(['GB', 'ENG'], ys), jp: holidaySet(['JP'], ys) };
  const daysTo = (list: string[], date: string) => {
    const next = list.find((d) => d >= date);
    return next === undefined ? null : (Date.parse(next) - Date.parse(date)) / DAY;
  };
  return ts.map((t, i) => {
    const hour = t.getUTCHours();
    const mod = hour * 60 + t.getUTCMinutes();
    const dow = t.getUTCDay() === 0 ? 7 : t.getUTCDay();
    const date = t.toISOString().slice(0, 10);
    const inForce = SESSIONS.filter(([o, c]) => mod >= o && mod < c);
    const tomorrow = new Date(t.getTime() + DAY);
    return {
      is_tokyo: mod < 540 ? 1 : 0,
      is_london: mod >= 480 && mod < 1020 ? 1 : 0,
      is_new_york: mod >= 780 && mod < 1320 ? 1 : 0,
      is_london_ny_overlap: mod >= 780 && mod < 1020 ? 1 : 0,
      hour_utc: hour,
      minutes_since_session_open: inForce.length ? mod - Math.max(...inForce.map(([o]) => o)) : 0,
      minutes_to_session_close: inForce.length ? Math.max(...inForce.map(([, c]) => c)) - mod : 0,
      hour_sin: Math.sin((2 * Math.PI * hour) / 24),
      hour_cos: Math.cos((2 * Math.PI * hour) / 24),
      minute_of_day_sin: Math.sin((2 * Math.PI * mod) / 1440),
      minute_of_day_cos: Math.cos((2 * Math.PI * mod) / 1440),
      day_of_week_sin: Math.sin((2 * Math.PI * dow) / 7),
      day_of_week_cos: Math.cos((2 * Math.PI * dow) / 7),
      day_of_week: dow,
      is_month_end: tomorrow.getUTCMonth() !== t.getUTCMonth() ? 1 : 0,
      is_week_roll: (dow === 5 && hour >= 21) || dow === 6 || (dow === 7 && hour < 23) ? 1 : 0,
      days_to_us_holiday: daysTo(cal.us, date),
      days_to_uk_holiday: daysTo(cal.uk, date),
      days_to_jp_holiday: daysTo(cal.jp, date),
      minutes_since_prev_bar: i === 0 ? null : (t.getTime() - ts[i - 1].getTime()) / 60_000,
    };
  });
}
