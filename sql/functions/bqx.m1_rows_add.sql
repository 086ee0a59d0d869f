-- bqx.m1_rows_add(p_pairs, p_months, p_rows): adds p_rows[i] bars of pair p_pairs[i] in the UTC month
-- p_months[i] to bqx.m1_rows. The one place inserted bars are counted: the statement trigger on bqx.m1
-- (bqx.m1_rows_insert) calls it with its transition table's counts, and the ingest's fast path, which
-- COPYs into the pair's own table (bqx.m1_<pair>, where no statement trigger of bqx.m1 fires), with the
-- counts of the bars it wrote (bqx.m1_inserted), so the two can never count differently.
-- Contract: inserts or updates bqx.m1_rows; takes no locks of its own.
create or replace function bqx.m1_rows_add(p_pairs text[], p_months timestamptz[], p_rows bigint[])
returns void
language plpgsql
as $$
begin
  insert into bqx.m1_rows as c (pair, month, rows)
  select d.pair, d.month, d.n from unnest(p_pairs, p_months, p_rows) as d (pair, month, n)
  on conflict (pair, month) do update set rows = c.rows + excluded.rows;
end;
$$;
