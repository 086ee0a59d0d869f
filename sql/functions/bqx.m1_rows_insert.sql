-- bqx.m1_rows_insert(): statement trigger after INSERT on bqx.m1, adding the inserted bars to
-- bqx.m1_rows per (pair, UTC month). One statement per ingest, whatever its size.
create or replace function bqx.m1_rows_insert()
returns trigger
language plpgsql
as $$
begin
  insert into bqx.m1_rows as c (pair, month, rows)
  select pair, date_trunc('month', ts_utc, 'UTC'), count(*) from bqx_new_rows group by 1, 2
  on conflict (pair, month) do update set rows = c.rows + excluded.rows;
  return null;
end;
$$;

create or replace trigger m1_rows_insert after insert on bqx.m1
  referencing new table as bqx_new_rows for each statement execute function bqx.m1_rows_insert();
