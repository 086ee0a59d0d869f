-- Keeps bqx.families' derived fields in step with the catalog module ($1: jsonb array); writes only rows that differ.
-- fingerprint: the definition the repository's files give the family (src/features/definitions).
update bqx.families f set lookback_bars = x.lookback_bars, depends_on = x.depends_on, description = x.description, fingerprint = x.fingerprint
from jsonb_to_recordset($1::jsonb) as x(family text, lookback_bars int, depends_on text[], description text, fingerprint text)
where f.family = x.family
  and (f.lookback_bars, f.depends_on, f.description, f.fingerprint) is distinct from (x.lookback_bars, x.depends_on, x.description, x.fingerprint);
