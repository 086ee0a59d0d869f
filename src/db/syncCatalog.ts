/**
 * Keeps bqx.feature_catalog and bqx.families in step with src/features/catalog. Writes only rows that
 * differ, so a repeated sync changes nothing; returns how many rows it inserted, updated or deleted.
 */
import type pg from 'pg';
import { FAMILIES } from '../features/catalog/index.ts';

export async function syncCatalog(client: pg.ClientBase): Promise<number> {
  const rows = FAMILIES.flatMap((f) =>
    f.columns.map((c, i) => ({
      family: f.family, column_name: c.name, ord: i + 1, domain: c.domain, window_bars: c.window,
      formula: c.formula, null_rule: c.nullRule, laggable: c.laggable, convention: c.convention ?? null,
      counts_as_feature: f.countsAsFeature,
    })),
  );
  const famRes = await client.query(
    `update bqx.families f set lookback_bars = x.lookback_bars, depends_on = x.depends_on, description = x.description
     from jsonb_to_recordset($1::jsonb) as x(family text, lookback_bars int, depends_on text[], description text)
     where f.family = x.family
       and (f.lookback_bars, f.depends_on, f.description) is distinct from (x.lookback_bars, x.depends_on, x.description)`,
    [JSON.stringify(FAMILIES.map((f) => ({ family: f.family, lookback_bars: f.lookbackBars, depends_on: f.dependsOn, description: f.description })))],
  );
  const upsert = await client.query(
    `insert into bqx.feature_catalog (family, column_name, ord, domain, window_bars, formula, null_rule, laggable, convention, counts_as_feature)
     select * from jsonb_to_recordset($1::jsonb) as x(family text, column_name text, ord int, domain text, window_bars int,
       formula text, null_rule text, laggable boolean, convention text, counts_as_feature boolean)
     on conflict (family, column_name) do update set ord = excluded.ord, domain = excluded.domain,
       window_bars = excluded.window_bars, formula = excluded.formula, null_rule = excluded.null_rule,
       laggable = excluded.laggable, convention = excluded.convention, counts_as_feature = excluded.counts_as_feature
     where (feature_catalog.ord, feature_catalog.domain, feature_catalog.window_bars, feature_catalog.formula,
            feature_catalog.null_rule, feature_catalog.laggable, feature_catalog.convention, feature_catalog.counts_as_feature)
       is distinct from (excluded.ord, excluded.domain, excluded.window_bars, excluded.formula,
            excluded.null_rule, excluded.laggable, excluded.convention, excluded.counts_as_feature)`,
    [JSON.stringify(rows)],
  );
  const del = await client.query(
    `delete from bqx.feature_catalog c
     where not exists (select 1 from jsonb_to_recordset($1::jsonb) as x(family text, column_name text)
                       where x.family = c.family and x.column_name = c.column_name)`,
    [JSON.stringify(rows.map((r) => ({ family: r.family, column_name: r.column_name })))],
  );
  return (famRes.rowCount ?? 0) + (upsert.rowCount ?? 0) + (del.rowCount ?? 0);
}
