-- The spans of the cross-sectional tables whose rows carry another fingerprint than their family's live
-- one ($1 families, $2 their fingerprints: bqx.cross_definitions), one row per range, within [$3, $4)
-- (the bars of all pairs; NULL bounds: unbounded).
select d.family, lower(r) as lo, upper(r) as hi
from bqx.cross_definitions d
join unnest($1::text[], $2::text[]) as u(family, fp) on u.family = d.family
cross join lateral unnest(d.spans * tstzmultirange(tstzrange($3, $4))) as r
where d.fingerprint <> u.fp
order by 1, 2
