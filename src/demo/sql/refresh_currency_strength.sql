-- The demo's cross-sectional refresh (Wave 3): the 8 currencies over the demo's range [$1, $2).
select bqx.refresh_currency_strength($1::timestamptz, $2::timestamptz) as n
