-- Serialises whole migrate runs across sessions ($1: the lock's name); held until advisory_unlock.sql.
select pg_advisory_lock(hashtext($1));
