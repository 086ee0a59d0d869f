-- Upserts the holiday calendar ($1: jsonb array of {country, day, name}) and removes rows the rule set no
-- longer lists within the years it covers ($2, $3); writes only what differs.
with src as (
  select x.country, x.day, x.name from jsonb_to_recordset($1::jsonb) as x(country text, day date, name text)
), up as (
  insert into bqx.holidays (country, day, name)
  select country, day, name from src
  on conflict (country, day) do update set name = excluded.name where bqx.holidays.name is distinct from excluded.name
  returning 1
), del as (
  delete from bqx.holidays h
  where h.day >= make_date($2::int, 1, 1) and h.day < make_date($3::int + 1, 1, 1)
    and not exists (select 1 from src where src.country = h.country and src.day = h.day)
  returning 1
)
select (select count(*) from up)::int + (select count(*) from del)::int as changed;
