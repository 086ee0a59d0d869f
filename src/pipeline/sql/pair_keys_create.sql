-- A chunked build's record of one pair's dataset rows, for the checks over the whole pair (split
-- order, label reach, labels present): what they read of each row, not its features.
create or replace table {{keys}} (bar bigint, ts_utc timestamptz, split varchar, labels_null boolean)
