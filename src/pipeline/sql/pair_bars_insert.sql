-- One chunk's bars into the pair's series record: those in [{{from}}, {{to}}), the chunk's own rows
-- ({{from}} is -infinity in a first chunk, whose history before --from is recorded too), so every bar
-- is recorded once.
insert into {{bars}}
select bar, ts_utc from {{series}}
where ts_utc >= {{from}} and ts_utc < {{to}}
