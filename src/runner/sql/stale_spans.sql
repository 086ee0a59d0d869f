-- The spans of one pair ($1) whose rows carry another fingerprint than their family's live one ($2
-- families, $3 their fingerprints), one row per range, within [$4, $5) (the pair's series).
select d.family, lower(r) as lo, upper(r) as hi
from bqx.family_definitions d
join unnest($2::text[], $3::text[]) as u(family, fp) on u.family = d.family
cross join lateral unnest(d.spans * tstzmultirange(tstzrange($4, $5))) as r
where d.pair = $1 and d.fingerprint <> u.fp
order by 1, 2
