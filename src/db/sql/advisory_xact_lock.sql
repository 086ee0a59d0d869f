-- Serialises one apply transaction with other writers of the same objects ($1: the lock's name); released at commit.
select pg_advisory_xact_lock(hashtext($1));
