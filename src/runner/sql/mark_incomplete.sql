-- Months whose bars lack rows in a family ($1 pairs, $2 families: NULL all) become dirty spans of that
-- family and of every family that reads it (their values read the missing rows), so the next plan
-- recomputes them. Returns how many (pair, family, month)s were incomplete.
with recursive bad as (
  select pair, family, month from bqx.feature_completeness($1::text[], $2::text[])
), readers (family, source) as (
  select family, family from bqx.families where family <> 'm1'
  union
  select f.family, r.source from bqx.families f join readers r on r.family = any(f.depends_on)
), ins as (
  insert into bqx.dirty_ranges (pair, family, span, reason)
  select distinct b.pair, r.family, tstzrange(b.month, b.month + interval '1 month', '[)'), 'incomplete'
  from bad b join readers r on r.source = b.family
  -- a month already waiting (a family in backoff, refreshed again) is not recorded twice
  where not exists (select 1 from bqx.dirty_ranges d
                    where d.pair = b.pair and d.family = r.family and d.span = tstzrange(b.month, b.month + interval '1 month', '[)'))
  returning 1
)
select (select count(*) from bad)::int as incomplete, (select count(*) from ins)::int as marked
