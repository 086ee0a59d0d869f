-- bqx.m1_rows_insert(): statement trigger after INSERT on bqx.m1, adding the inserted bars to
-- bqx.m1_rows per (pair, UTC month) through bqx.m1_rows_add, which the ingest's fast path calls too. One
-- statement per ingest, whatever its size.
create or replace function bqx.m1_rows_insert()
returns trigger
language plpgsql
as $$
begin
  perform bqx.m1_rows_add(array_agg(pair), array_agg(month), array_agg(n))
  from (select pair, date_trunc('month', ts_utc, 'UTC') as month, count(*) as n from bqx_new_rows group by 1, 2) g;
  return null;
end;
$$;

create or replace trigger m1_rows_insert after insert on bqx.m1
  referencing new table as bqx_new_rows for each statement execute function bqx.m1_rows_insert();
