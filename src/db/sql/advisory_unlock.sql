-- Releases advisory_lock.sql's lock ($1: the lock's name).
select pg_advisory_unlock(hashtext($1));
