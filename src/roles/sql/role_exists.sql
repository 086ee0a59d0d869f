-- is there a role of this name in the cluster (roles are cluster-wide)
select rolcanlogin as can_login from pg_catalog.pg_roles where rolname = $1
