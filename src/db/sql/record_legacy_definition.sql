-- Rows a store filled before definitions were recorded: [first row, last row + 1 min) of ($1 pair,
-- $2 family) under the fingerprint ($3) of the definition live when migrate started.
insert into bqx.family_definitions (pair, family, fingerprint, spans)
values ($1, $2, $3, tstzmultirange(tstzrange($4::timestamptz, $5::timestamptz + interval '1 minute')))
on conflict do nothing
