-- the role name is validated and quoted by quoteIdent before it replaces its placeholder; the password is inlined by withLiterals (DDL takes no bind parameters)
alter role :role login password $1
