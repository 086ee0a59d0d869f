-- After sql/ is applied: functions in bqx run for the roles that should run them only. A function made
-- by `create function` gets EXECUTE for PUBLIC, and a per-schema default privilege cannot take a global
-- default away, so migrate settles it here every time: nobody by default, the runner's and the owner's
-- roles all of them, readers the read-only ones their sql/ files grant.
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'bqx_writer') then
    revoke execute on all functions in schema bqx from public;
    grant execute on all functions in schema bqx to bqx_writer, bqx_owner;
  end if;
end $$;
