-- One vector as json text (passed through to the response unparsed). $1 pair, $2 at, $3 features or NULL.
select bqx.feature_vector_json($1::text, $2::timestamptz, $3::text[])::text as vector
