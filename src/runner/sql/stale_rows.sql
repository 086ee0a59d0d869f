-- Stale rows per (pair, family, month, fingerprint) (bqx.definition_stale), months as 'YYYY-MM'.
select pair, family, to_char(month, 'YYYY-MM') as month, computed_with, sum(rows)::bigint as rows
from bqx.definition_stale($1::text[], $2::text[], $3::text[], $4::timestamptz, $5::timestamptz)
group by 1, 2, 3, 4
having sum(rows) > 0
order by 1, 2, 3, 4
