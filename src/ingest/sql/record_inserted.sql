-- Bars of pair $1 went into bqx.m1_<pair> (either path; see targetTable in ingest.ts), where bqx.m1's
-- statement triggers do not fire: record what they record for an insert of those bars ($2 UTC months, $3
-- bars in each, $4 first and $5 last bar), through the same functions, in the ingest's transaction.
select bqx.m1_inserted($1::text, $2::timestamptz [], $3::bigint [], $4::timestamptz, $5::timestamptz);
