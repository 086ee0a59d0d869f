-- A chunked build's record of one pair's series (every extracted bar once), for the label-reach and
-- spine checks, which read only each bar's number and instant.
create or replace table {{bars}} (bar bigint, ts_utc timestamptz)
