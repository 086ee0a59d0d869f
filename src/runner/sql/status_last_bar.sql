-- The newest bar of any pair: the status reports the day before it.
select max(ts_utc) as t from bqx.m1;
