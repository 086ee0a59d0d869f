-- bqx.assert_pair(p_pair): returns p_pair when it is one of bqx.pairs, else raises BQ001.
-- Every function that turns a pair into an identifier calls this first, so a pair named with quotes,
-- semicolons or a schema prefix never reaches format('%I').
create or replace function bqx.assert_pair(p_pair text)
returns text
language plpgsql
stable
as $$
begin
  if p_pair is null or not exists (select 1 from bqx.pairs where pair = p_pair) then
    raise exception using
      errcode = 'BQ001',
      message = format('unknown pair %L', p_pair),
      hint = 'use one of the 28 majors in lower case (select pair from bqx.pairs), e.g. eurusd';
  end if;
  return p_pair;
end;
$$;
