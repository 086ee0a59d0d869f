-- The staged ingest's first bar of pair $1 at or after instant $2 (its candidate for B; no row: none).
select s.ts_utc, s.close from pg_temp.bqx_staging s
where s.pair = $1::text and s.ts_utc >= $2::timestamptz
order by s.ts_utc limit 1;
