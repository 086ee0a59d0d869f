-- Up Migration
-- Bank holidays per market for time_features' days_to_{us,uk,jp}_holiday. Rows come from the date-holidays
-- package (a maintained rule set) and are refreshed by every `bqx migrate`, a rolling horizon of years
-- ahead, so the calendar never silently runs out; a date beyond the last holiday on file reads NULL.
create table bqx.holidays (
  country text not null check (country in ('US', 'UK', 'JP')),
  day date not null,
  name text not null,
  primary key (country, day)
);
comment on table bqx.holidays is 'public/bank holidays (US federal, England and Wales, Japan) from date-holidays, synced by bqx migrate';

-- Down Migration
drop table bqx.holidays;
