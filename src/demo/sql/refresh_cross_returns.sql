-- The demo's cross-sectional refresh (Wave 3): the pairs aligned on the grid over the demo's range [$1, $2).
select bqx.refresh_cross_returns($1::timestamptz, $2::timestamptz) as n
