-- After a refresh of ($1 pair, $2 family) over [$4, $5) computed with the live definition $3: the range's
-- spans move to $3, or to 'inputs-stale' when the refresh read rows of an older definition: a family it
-- reads ($6 families, $7 their live fingerprints) over the bars it reads ($8 bars before the range, $9
-- after it), or, for the TypeScript families ($10), its own rows anywhere before the range (OBV carries
-- forward from the stored row), or a cross-sectional table it reads ($11 families, $12 their live
-- fingerprints: bqx.cross_definitions) over the same window (every bar of the pair is a grid minute, so its
-- bars reach at least as far back as the grid rows it reads). Rows recorded 'inputs-stale' are stale: the
-- catch-up recomputes them once their inputs are current. Returns the fingerprint recorded.
with win as (
  select coalesce((select min(ts_utc) from (select ts_utc from bqx.m1 where pair = $1 and ts_utc < $4 order by ts_utc desc limit $8) b), $4) as lo,
         coalesce((select max(ts_utc) + interval '1 minute' from (select ts_utc from bqx.m1 where pair = $1 and ts_utc >= $5 order by ts_utc limit $9) a), $5) as hi
), verdict as (
  select case when exists (
           select 1 from bqx.family_definitions d, win, unnest($6::text[], $7::text[]) as u(family, fp)
           where d.pair = $1 and d.family = u.family and d.fingerprint <> u.fp and d.spans && tstzrange(win.lo, win.hi))
         or exists (
           select 1 from bqx.cross_definitions d, win, unnest($11::text[], $12::text[]) as u(family, fp)
           where d.family = u.family and d.fingerprint <> u.fp and d.spans && tstzrange(win.lo, win.hi))
         or ($10 and exists (
           select 1 from bqx.family_definitions d
           where d.pair = $1 and d.family = $2 and d.fingerprint <> $3 and d.spans && tstzrange(null, $4)))
         then 'inputs-stale' else $3 end as fp
), cut as (
  update bqx.family_definitions d set spans = d.spans - tstzmultirange(tstzrange($4, $5)), updated_at = now()
  from verdict v
  where d.pair = $1 and d.family = $2 and d.fingerprint <> v.fp and d.spans && tstzrange($4, $5)
  returning 1
)
insert into bqx.family_definitions as d (pair, family, fingerprint, spans)
select $1, $2, v.fp, tstzmultirange(tstzrange($4, $5)) from verdict v
on conflict (pair, family, fingerprint) do update set spans = d.spans + excluded.spans, updated_at = now()
returning fingerprint, (select count(*) from cut) as cut
