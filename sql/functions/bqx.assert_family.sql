-- bqx.assert_family(p_family): returns p_family when it is registered in bqx.families, else raises BQ002.
create or replace function bqx.assert_family(p_family text)
returns text
language plpgsql
stable
as $$
begin
  if p_family is null or not exists (select 1 from bqx.families where family = p_family) then
    raise exception using
      errcode = 'BQ002',
      message = format('unknown family %L', p_family),
      hint = 'use one of: ' || (select string_agg(family, ', ' order by ord) from bqx.families);
  end if;
  return p_family;
end;
$$;
