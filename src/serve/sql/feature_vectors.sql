-- Many pairs at one instant, in request order. $1 pairs, $2 at, $3 features or NULL.
select pair, vector::text as vector
from bqx.feature_vectors($1::text[], array[$2::timestamptz], $3::text[])
order by ord
