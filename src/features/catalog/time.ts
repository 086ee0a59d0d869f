import { col, type FamilyDef } from './types.ts';

const t = (name: string, formula: string, nullRule = 'never NULL') => col(name, 'time', null, formula, { nullRule });

/** Calendar and session features (never lagged: they are known in advance). */
export const timeFeatures: FamilyDef = {
  family: 'time_features',
  kind: 'sql',
  description: 'Sessions, cyclical time encodings, calendar flags and bank-holiday distances (UTC)',
  dependsOn: ['m1'],
  lookbackBars: 1,
  countsAsFeature: true,
  columns: [
    t('is_tokyo', '1 during the Tokyo session 00:00-09:00 UTC, else 0'),
    t('is_london', '1 during the London session 08:00-17:00 UTC, else 0'),
    t('is_new_york', '1 during the New York session 13:00-22:00 UTC, else 0'),
    t('is_london_ny_overlap', '1 during 13:00-17:00 UTC, else 0'),
    t('hour_utc', 'hour of day, 0..23'),
    t('minutes_since_session_open', 'minutes since the most recent open among the sessions in force (0 when none is)'),
    t('minutes_to_session_close', 'minutes to the latest close among the sessions in force (0 when none is)'),
    t('hour_sin', 'sin(2 pi hour / 24)'),
    t('hour_cos', 'cos(2 pi hour / 24)'),
    t('minute_of_day_sin', 'sin(2 pi minute_of_day / 1440)'),
    t('minute_of_day_cos', 'cos(2 pi minute_of_day / 1440)'),
    t('day_of_week_sin', 'sin(2 pi isodow / 7)'),
    t('day_of_week_cos', 'cos(2 pi isodow / 7)'),
    t('day_of_week', 'ISO day of week, 1 = Monday .. 7 = Sunday'),
    t('is_month_end', '1 on the last calendar day of the month, else 0'),
    t(
      'is_week_roll',
      '1 from Friday 21:00 UTC through Saturday until Sunday 23:00 UTC (the weekend close and the Sunday reopen hours), else 0',
    ),
    t(
      'days_to_us_holiday',
      "whole days from the bar's UTC date to the next US federal holiday (0 on the holiday itself), from bqx.holidays (date-holidays)",
      'NULL after the last holiday on file (the calendar runs 10 years ahead of the last migrate)',
    ),
    t(
      'days_to_uk_holiday',
      'whole days to the next England and Wales bank holiday (0 on the day)',
      'NULL after the last holiday on file (the calendar runs 10 years ahead of the last migrate)',
    ),
    t(
      'days_to_jp_holiday',
      'whole days to the next Japanese public holiday (0 on the day)',
      'NULL after the last holiday on file (the calendar runs 10 years ahead of the last migrate)',
    ),
    t('minutes_since_prev_bar', "minutes since the pair's previous bar (1 in a continuous stretch)", 'NULL on the first bar of the series'),
  ],
};
