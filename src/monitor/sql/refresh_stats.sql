select bqx.feature_stats_refresh($1, $2, $3, $4) as n
