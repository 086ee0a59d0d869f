-- One vector as jsonb text (passed through to the response unparsed). $1 pair, $2 at, $3 features or NULL.
select bqx.feature_vector($1::text, $2::timestamptz, $3::text[])::text as vector
