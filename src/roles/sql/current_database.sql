-- the database the login is granted CONNECT on: the one bqx is connected to
select current_database() as d
