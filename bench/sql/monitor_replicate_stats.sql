-- bench/monitor.bench.ts: July's statistics of the computed pairs ($1) copied to every pair ($2), and a
-- June for each with the histogram reversed (so drift has something to find); FKs need only real pairs.
insert into bqx.feature_stats (pair, family, column_name, month, rows, nulls, mean, m2, min, max, hist, through)
select
  p.pair, s.family, s.column_name, m.month, s.rows, s.nulls, s.mean, s.m2, s.min, s.max,
  case when m.month = date '2024-06-01'
       then array(select h from unnest(s.hist) with ordinality as u(h, i) order by i desc)
       else s.hist end,
  s.through
from unnest($2::text[]) with ordinality as p(pair, k)
join bqx.feature_stats s
  on s.month = date '2024-07-01'
 and s.pair = case when p.pair = any($1::text[]) then p.pair
                   else ($1::text[])[1 + (p.k - 1) % cardinality($1::text[])] end
cross join (values (date '2024-06-01'), (date '2024-07-01')) as m(month)
on conflict do nothing
