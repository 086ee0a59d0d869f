-- Per feature column, its non-NULL values since $1 (bqx.feature_fill).
select * from bqx.feature_fill($1);
