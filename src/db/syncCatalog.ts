/**
 * Keeps bqx.feature_catalog and bqx.families in step with src/features/catalog. Writes only rows that
 * differ, so a repeated sync changes nothing; returns how many rows it inserted, updated or deleted.
 */
import type pg from 'pg';
import { FAMILIES } from '../features/catalog/index.ts';
import { fileFingerprints } from '../features/definitions/fileFingerprints.ts';
import { loadSql } from './loadSql.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export async function syncCatalog(client: pg.ClientBase): Promise<number> {
  const rows = FAMILIES.flatMap((f) =>
    f.columns.map((c, i) => ({
      family: f.family,
      column_name: c.name,
      ord: i + 1,
      domain: c.domain,
      window_bars: c.window,
      formula: c.formula,
      null_rule: c.nullRule,
      laggable: c.laggable,
      convention: c.convention ?? null,
      counts_as_feature: f.countsAsFeature,
      sparse: c.sparse === true,
    })),
  );
  const fps = fileFingerprints();
  const famRes = await client.query(sql('sync_families'), [
    JSON.stringify(
      FAMILIES.map((f) => ({
        family: f.family,
        lookback_bars: f.lookbackBars,
        depends_on: f.dependsOn,
        description: f.description,
        fingerprint: fps.get(f.family) ?? null,
      })),
    ),
  ]);
  // A family added in the middle of the order gets the last ord from its migration; move it into place.
  const order = JSON.stringify(FAMILIES.map((f, i) => ({ family: f.family, ord: i + 1 })));
  const parked = await client.query(sql('park_family_order'), [order]);
  await client.query(sql('unpark_family_order'));
  const upsert = await client.query(sql('sync_feature_catalog'), [JSON.stringify(rows)]);
  const del = await client.query(sql('prune_feature_catalog'), [
    JSON.stringify(rows.map((r) => ({ family: r.family, column_name: r.column_name }))),
  ]);
  return (famRes.rowCount ?? 0) + (parked.rowCount ?? 0) + (upsert.rowCount ?? 0) + (del.rowCount ?? 0);
}
