-- A cross-sectional table's rows from before their definitions were recorded: [first row, last row + 1 min)
-- of ($1 family) under the fingerprint ($2) of the definition live when migrate started; nothing when the
-- family has a record already.
insert into bqx.cross_definitions (family, fingerprint, spans)
select $1, $2, tstzmultirange(tstzrange($3::timestamptz, $4::timestamptz + interval '1 minute'))
where not exists (select 1 from bqx.cross_definitions where family = $1)
on conflict do nothing
