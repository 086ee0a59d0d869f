/**
 * Generated SQL for time_features (catalog: src/features/catalog/time.ts): sessions, cyclical encodings,
 * calendar flags and distances to the next bank holiday, all in UTC. Only minutes_since_prev_bar reads
 * another bar (the one before), so the lookback is 1. Holiday distances are looked up once per calendar
 * date of the range, not once per bar.
 */
import { timeFeatures } from '../catalog/time.ts';
import { refreshFunctionSql } from './refreshFunction.ts';

/** Sessions in UTC minutes of the day [open, close). */
export const SESSIONS = { tokyo: [0, 540], london: [480, 1020], new_york: [780, 1320] } as const;

const source = `(select v_rs + row_number() over (order by ts_utc) - 1 as r, ts_utc
      from bqx.m1 where pair = p_pair and ts_utc >= v_start and ts_utc <= v_hi)`;

function body(src: string): string {
  const inS = (s: keyof typeof SESSIONS) => `(mod >= ${SESSIONS[s][0]} and mod < ${SESSIONS[s][1]})`;
  const sessions = Object.keys(SESSIONS) as Array<keyof typeof SESSIONS>;
  const opens = sessions.map((s) => `case when ${inS(s)} then ${SESSIONS[s][0]} end`).join(', ');
  const closes = sessions.map((s) => `case when ${inS(s)} then ${SESSIONS[s][1]} end`).join(', ');
  const flag = (e: string) => `(${e})::int::float8`;
  const next = (c: string) => `((select min(h.day) from bqx.holidays h where h.country = '${c}' and h.day >= dd.d) - dd.d)::float8`;
  // greatest/least ignore NULLs: over the sessions in force, and NULL (then 0) when none is
  const cols = [
    `${flag(inS('tokyo'))} as "is_tokyo"`,
    `${flag(inS('london'))} as "is_london"`,
    `${flag(inS('new_york'))} as "is_new_york"`,
    `${flag('mod >= 780 and mod < 1020')} as "is_london_ny_overlap"`,
    'hr::float8 as "hour_utc"',
    `coalesce(mod - greatest(${opens}), 0)::float8 as "minutes_since_session_open"`,
    `coalesce(greatest(${closes}) - mod, 0)::float8 as "minutes_to_session_close"`,
    'sin(2 * pi() * hr / 24) as "hour_sin"',
    'cos(2 * pi() * hr / 24) as "hour_cos"',
    'sin(2 * pi() * mod / 1440) as "minute_of_day_sin"',
    'cos(2 * pi() * mod / 1440) as "minute_of_day_cos"',
    'sin(2 * pi() * dow / 7) as "day_of_week_sin"',
    'cos(2 * pi() * dow / 7) as "day_of_week_cos"',
    'dow::float8 as "day_of_week"',
    `${flag('extract(month from b.d + 1) <> extract(month from b.d)')} as "is_month_end"`,
    `${flag('(dow = 5 and hr >= 21) or dow = 6 or (dow = 7 and hr < 23)')} as "is_week_roll"`,
    'hd.us as "days_to_us_holiday"',
    'hd.uk as "days_to_uk_holiday"',
    'hd.jp as "days_to_jp_holiday"',
    'extract(epoch from ts_utc - prev) / 60 as "minutes_since_prev_bar"',
  ];
  return `with b as materialized (
      select ts_utc, lag(ts_utc) over (order by r) as prev, (ts_utc at time zone 'UTC')::date as d,
             extract(hour from ts_utc at time zone 'UTC')::int as hr,
             (extract(hour from ts_utc at time zone 'UTC') * 60 + extract(minute from ts_utc at time zone 'UTC'))::int as mod,
             extract(isodow from ts_utc at time zone 'UTC')::int as dow
      from ${src} s0
    ), hd as materialized (
      select dd.d, ${next('US')} as us, ${next('UK')} as uk, ${next('JP')} as jp
      from (select distinct d from b) dd
    )
    select ts_utc, ${cols.join(',\n      ')}
    from b join hd on hd.d = b.d`;
}

export function timeRefreshSql(): string {
  return refreshFunctionSql({
    family: timeFeatures.family,
    lookback: timeFeatures.lookbackBars,
    source,
    body,
    columns: timeFeatures.columns.map((c) => c.name),
    description: timeFeatures.description,
  });
}
