-- One chunk's dataset rows into the pair's keys ({{any_null}}: whether a chosen label is NULL). The
-- view's lag windows are not read, so DuckDB computes only the purge's lead().
insert into {{keys}}
select bar, ts_utc, split, {{any_null}} from {{dataset}}
