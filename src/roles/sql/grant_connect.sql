-- a login may connect to this database even where CONNECT was revoked from public
grant connect on database :database to :role
