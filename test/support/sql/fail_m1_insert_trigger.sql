-- Fails the insert of pair usdjpy's bars from 2024-07-02 on, mid-statement (a row trigger on its m1 child).
create trigger bqx_test_fail before insert on bqx.m1_usdjpy
for each row when (new.ts_utc >= '2024-07-02 00:00+00') execute function public.bqx_test_fail_m1_insert();
