-- Replaces a database (its name quoted by the caller): connections to it are ended.
drop database if exists :database with (force);
