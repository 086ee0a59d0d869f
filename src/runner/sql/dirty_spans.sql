-- The dirty spans of a pair ($1), every family: what bars changed since the family computed them.
select id, family, span::text as span from bqx.dirty_ranges where pair = $1 order by family, lower(span), id
