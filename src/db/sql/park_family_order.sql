-- First half of syncing bqx.families.ord with the catalog's order ($1: jsonb array of {family, ord}):
-- rows whose place changed take the negative of their new place, so the unique ord never collides
-- mid-update (Postgres checks a non-deferrable unique constraint row by row); unpark_family_order.sql
-- then flips them positive.
update bqx.families f set ord = -x.ord
from jsonb_to_recordset($1::jsonb) as x(family text, ord int)
where f.family = x.family and f.ord <> x.ord;
