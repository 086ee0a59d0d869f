-- Forgets an applied sql/ file ($1 path) whose file is gone.
delete from bqx.sql_objects where path = $1;
