-- bqx.m1_rows_delete(): statement trigger after DELETE on bqx.m1, taking the deleted bars off
-- bqx.m1_rows per (pair, UTC month).
create or replace function bqx.m1_rows_delete()
returns trigger
language plpgsql
as $$
begin
  update bqx.m1_rows c set rows = c.rows - d.n
  from (select pair, date_trunc('month', ts_utc, 'UTC') as month, count(*) as n from bqx_old_rows group by 1, 2) d
  where c.pair = d.pair and c.month = d.month;
  return null;
end;
$$;

create or replace trigger m1_rows_delete after delete on bqx.m1
  referencing old table as bqx_old_rows for each statement execute function bqx.m1_rows_delete();
