-- Deletes bqx.feature_catalog rows whose column left the catalog module ($1: jsonb array of family, column_name).
delete from bqx.feature_catalog c
where not exists (select 1 from jsonb_to_recordset($1::jsonb) as x(family text, column_name text)
                  where x.family = c.family and x.column_name = c.column_name);
