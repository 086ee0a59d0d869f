-- :role is replaced by the validated, quoted name; $1 is inlined as an escaped literal (DDL takes no bind parameters)
alter role :role login password $1
