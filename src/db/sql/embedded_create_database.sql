-- A database for the embedded server (its name quoted by the caller).
create database :database;
