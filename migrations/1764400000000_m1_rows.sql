-- Up Migration
-- Bars per pair and UTC month, kept exact by statement triggers on bqx.m1 (sql/functions/bqx.m1_rows_*.sql)
-- and by retention: refreshes number a pair's bars globally (block-aligned running sums need the row
-- count before the range), and counting a year of bars per refresh unit cost 50 ms, most of a small unit.
-- With this table the count is a sum over months plus one month's index scan.
create table bqx.m1_rows (
  pair text not null references bqx.pairs (pair),
  month timestamptz not null,
  rows bigint not null check (rows >= 0),
  primary key (pair, month)
);
comment on table bqx.m1_rows is 'bars per pair and UTC month in bqx.m1 (maintained by triggers and retention)';
insert into bqx.m1_rows (pair, month, rows)
select pair, date_trunc('month', ts_utc, 'UTC'), count(*) from bqx.m1 group by 1, 2;

-- Down Migration
drop trigger if exists m1_rows_insert on bqx.m1;
drop trigger if exists m1_rows_delete on bqx.m1;
drop table bqx.m1_rows;
