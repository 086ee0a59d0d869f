-- bqx.setting(p_key): the value of a bqx.settings row; raises when the key is missing so a typo in a
-- function is loud rather than a silent NULL.
create or replace function bqx.setting(p_key text)
returns text
language plpgsql
stable
as $$
declare
  v_value text;
begin
  select value into v_value from bqx.settings where key = p_key;
  if not found then
    raise exception using errcode = 'BQ003', message = format('missing setting %L', p_key),
      hint = 'bqx.settings is seeded by the migrations; re-run bqx migrate';
  end if;
  return v_value;
end;
$$;
