-- After a cross unit of ($1 family) over [$3, $4) computed with the live definition $2 (in the unit's
-- transaction): the range's spans move to $2; a record of another definition the range covers entirely
-- goes. The cross-sectional tables read only bars (bqx.m1), never rows of a definition, so there is no
-- 'inputs-stale' here (their readers record it: record_definition.sql).
with pruned as (
  delete from bqx.cross_definitions d
  where d.family = $1 and d.fingerprint <> $2 and d.spans <@ tstzmultirange(tstzrange($3, $4))
), cut as (
  update bqx.cross_definitions d set spans = d.spans - tstzmultirange(tstzrange($3, $4)), updated_at = now()
  where d.family = $1 and d.fingerprint <> $2 and d.spans && tstzrange($3, $4)
    and not d.spans <@ tstzmultirange(tstzrange($3, $4))
)
insert into bqx.cross_definitions as d (family, fingerprint, spans)
values ($1, $2, tstzmultirange(tstzrange($3, $4)))
on conflict (family, fingerprint) do update set spans = d.spans + excluded.spans, updated_at = now()
