-- A trigger function that fails the insert of each row it sees (fail_m1_insert_trigger.sql attaches it),
-- to show that a failing ingest leaves nothing, even after other pairs' bars went in.
create function public.bqx_test_fail_m1_insert() returns trigger language plpgsql as $$
begin
  raise exception 'injected failure at %', new.ts_utc;
end $$;
